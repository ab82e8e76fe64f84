"""Local servers for the watch tests: each one runs in a thread for the duration of a test."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import HTTPServer

import pytest

from apps.watch.sources import PollSettings
from tests.support.feed_server import FeedServer
from tests.support.github_server import GitHubServer
from tests.support.hf_server import HubServer
from tests.support.webhook_receiver import WebhookReceiver

NOW = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@contextmanager
def serving[ServerT: HTTPServer](server: ServerT) -> Iterator[ServerT]:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


class SleepRecorder:
    """Stands in for time.sleep: records the waits a poll asked for, without waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def poll_settings(sleeps: SleepRecorder) -> PollSettings:
    return PollSettings(timeout=0.5, max_retries=2, backoff_base=0.1, max_wait=10.0, sleep=sleeps)


@pytest.fixture
def hub() -> Iterator[HubServer]:
    with serving(HubServer(page_size=2)) as server:
        yield server


@pytest.fixture
def github() -> Iterator[GitHubServer]:
    with serving(GitHubServer()) as server:
        yield server


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    with serving(FeedServer()) as server:
        yield server


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    with serving(WebhookReceiver(secret=WEBHOOK_SECRET)) as server:
        yield server
