"""A job submitted while the broker is unreachable waits visibly and is sent as soon as it is back.

A real Redis of the test's own, on a free port, stopped and started again (no mock of the broker).
"""

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis
from django.conf import settings
from django.urls import reverse

from apps.jobs import services, tasks
from apps.jobs.models import ImportJob
from tests.jobs.conftest import scan_payload
from tests.support.celery_worker import _point_celery_app_at

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]
QUEUE = "riskboard-broker-outage-test"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TemporaryRedis:
    def __init__(self, tmp_path) -> None:
        self.port = _free_port()
        self.dir = tmp_path
        self.process: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            cwd=self.dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("the temporary redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None

    def queued_messages(self) -> int:
        client = redis.Redis.from_url(self.url)
        try:
            return client.llen(QUEUE)
        finally:
            client.close()


@pytest.fixture
def broker(tmp_path) -> Iterator[TemporaryRedis]:
    server = TemporaryRedis(tmp_path)
    server.start()
    _point_celery_app_at(broker_url=server.url, queue=QUEUE, eager=False, transport_options={})
    try:
        yield server
    finally:
        server.stop()
        _point_celery_app_at(
            broker_url=settings.CELERY_BROKER_URL,
            queue=settings.CELERY_TASK_DEFAULT_QUEUE,
            eager=settings.CELERY_TASK_ALWAYS_EAGER,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        )


def test_a_job_submitted_while_the_broker_is_down_waits_visibly_and_is_sent_when_it_is_back(
    broker, editor_client, organization, django_capture_on_commit_callbacks
):
    broker.stop()
    with django_capture_on_commit_callbacks(execute=True):
        job, created = services.job_submit(
            organization=organization, kind="scan", payload=scan_payload(2), source="api"
        )

    job.refresh_from_db()
    assert created and job.status == "queued" and job.sent_at is None
    page = editor_client.get(reverse("jobs:detail", kwargs={"org_slug": "acme", "job_id": job.pk}))
    assert page.status_code == 200
    assert "Waiting for the job queue; it will start as soon as the queue is back." in page.content.decode()
    assert services.job_send_unsent() == 0  # the beat task while the broker is still down: nothing sent

    broker.start()
    assert tasks.send_unsent_jobs() == 1  # the beat task's next run (every RISKBOARD_JOB_SEND_RETRY_SECONDS)

    job.refresh_from_db()
    assert job.sent_at is not None
    assert broker.queued_messages() == 1
    page = editor_client.get(reverse("jobs:detail", kwargs={"org_slug": "acme", "job_id": job.pk}))
    assert "Waiting for the job queue" not in page.content.decode()
    assert tasks.send_unsent_jobs() == 0  # sent once, not again


def test_a_job_sent_at_once_is_marked_sent(broker, organization, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job, _ = services.job_submit(
            organization=organization, kind="scan", payload=scan_payload(1), source="api"
        )

    assert ImportJob.objects.get(pk=job.pk).sent_at is not None
    assert broker.queued_messages() == 1


def test_the_beat_schedule_retries_unsent_jobs_within_a_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["jobs-send-unsent"]
    assert entry["task"] == "apps.jobs.tasks.send_unsent_jobs"
    assert entry["schedule"].total_seconds() <= 60
