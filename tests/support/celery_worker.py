"""A real `celery -A riskboard worker` process for job tests, on the real Redis and the test database.

Use the `worker` fixture with `@pytest.mark.worker` and `@pytest.mark.django_db(transaction=True)`
(the worker is another process: it only sees committed rows). The fixture:
- starts one worker (more with `worker.start()`), pointed at pytest-django's test database through
  DATABASE_URL, at Redis through REDIS_URL, and at a queue of its own through CELERY_QUEUE, so
  parallel test runs never take each other's tasks;
- gives the worker a short Redis visibility timeout (CELERY_VISIBILITY_TIMEOUT), so a task whose
  worker was killed is redelivered within seconds instead of an hour;
- switches this process's Celery app from eager mode to that broker and queue for the test;
- waits until each worker logs that it is ready, and kills every worker it started (the whole
  process group, pool children included) at the end.
"""

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest

from tests import services

PROJECT_ROOT = Path(__file__).resolve().parents[2]
READY_TIMEOUT_SECONDS = 120  # a busy machine can take a while to import Django and Celery
VISIBILITY_TIMEOUT_SECONDS = 5


def database_url_for_tests() -> str:
    from django.db import connection

    settings = connection.settings_dict
    user = quote(settings.get("USER") or "", safe="")
    password = quote(settings.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{settings['NAME']}"


@dataclass
class WorkerProcess:
    name: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if " ready." in self.log():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(f"Celery worker {self.name} did not start:\n{self.log()[-4000:]}")

    def kill(self) -> None:
        """SIGKILL the worker and its pool children at once, like a machine losing power."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    @property
    def alive(self) -> bool:
        return self.process.poll() is None


@dataclass
class CeleryWorkers:
    """The workers of one test, all consuming one queue of their own."""

    queue: str
    env: dict[str, str]
    log_dir: Path
    processes: list[WorkerProcess] = field(default_factory=list)

    def start(self, *, concurrency: int = 1) -> WorkerProcess:
        name = f"{self.queue}-{len(self.processes) + 1}"
        log_path = self.log_dir / f"{name}.log"
        command = [
            sys.executable, "-m", "celery", "-A", "riskboard", "worker",
            "--queues", self.queue, "--hostname", f"{name}@%h",
            "--pool", "prefork", "--concurrency", str(concurrency), "--prefetch-multiplier", "1",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO",
        ]  # fmt: skip
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command,
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: kill() takes the pool children too
            )
        worker = WorkerProcess(name=name, process=process, log_path=log_path)
        self.processes.append(worker)
        worker.wait_ready()
        return worker

    @property
    def current(self) -> WorkerProcess:
        return self.processes[-1]

    def kill_all(self) -> None:
        for worker in self.processes:
            worker.kill()

    def logs(self) -> str:
        return "\n".join(f"--- {worker.name}\n{worker.log()[-3000:]}" for worker in self.processes)

    def wait_for_task(self, task_id: str, *, timeout: float = 60) -> str:
        """Wait until a worker logs that this task finished (it succeeded or raised); return that line.

        The positive proof a test needs before asserting that a task changed nothing."""
        finished = re.compile(rf"^.*\[{re.escape(task_id)}\] (succeeded|raised).*$", re.MULTILINE)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for worker in self.processes:
                if match := finished.search(worker.log()):
                    return match.group(0)
            time.sleep(0.1)
        raise AssertionError(f"task {task_id} did not finish within {timeout} s\n{self.logs()}")


def _point_celery_app_at(*, broker_url: str, queue: str, eager: bool, transport_options: dict) -> None:
    from riskboard.celery import app

    app.conf.update(
        task_always_eager=eager,
        broker_url=broker_url,
        task_default_queue=queue,
        broker_transport_options=transport_options,
    )
    # Forget connections and routing built from the previous configuration.
    from kombu import pools

    pools.reset()
    app._pool = None
    app.__dict__.pop("amqp", None)


def _purge_queue(redis_url: str, queue: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        client.delete(queue, *client.keys(f"{queue}\x06\x16*"))
    finally:
        client.close()


@pytest.fixture
def worker(transactional_db, tmp_path) -> Iterator[CeleryWorkers]:
    redis_url = services.require_redis()
    services.require_postgres()
    from django.conf import settings

    queue = f"riskboard-test-{uuid.uuid4().hex[:10]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "riskboard.settings",
        "DATABASE_URL": database_url_for_tests(),
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": queue,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT_SECONDS),
        "RISKBOARD_MAX_PAYLOAD_BYTES": str(settings.RISKBOARD_MAX_PAYLOAD_BYTES),
        "PYTHONUNBUFFERED": "1",
    }
    workers = CeleryWorkers(queue=queue, env=env, log_dir=tmp_path)
    _point_celery_app_at(
        broker_url=redis_url,
        queue=queue,
        eager=False,
        transport_options={"visibility_timeout": VISIBILITY_TIMEOUT_SECONDS},
    )
    try:
        workers.start()
        yield workers
    finally:
        workers.kill_all()
        _point_celery_app_at(
            broker_url=settings.CELERY_BROKER_URL,
            queue=settings.CELERY_TASK_DEFAULT_QUEUE,
            eager=settings.CELERY_TASK_ALWAYS_EAGER,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        )
        _purge_queue(redis_url, queue)
