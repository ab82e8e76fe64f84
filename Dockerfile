FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 RISKBOARD_ENV=production
WORKDIR /app
COPY requirements.txt requirements.lock ./
RUN pip install --no-cache-dir -c requirements.lock -r requirements.txt
COPY . .
RUN SECRET_KEY=build-only-collectstatic python manage.py collectstatic --noinput
RUN useradd --create-home riskboard && chown -R riskboard /app
USER riskboard
EXPOSE 8000
CMD ["gunicorn", "riskboard.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]
