"""The Celery app. Settings come from Django's settings (CELERY_*); the beat schedule lives there too."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskboard.settings")

app = Celery("riskboard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
