from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.celery_worker import worker  # noqa: F401  (the real-worker fixture)
from tests.support.openai_server import OpenAICompatibleServer

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def openai_server() -> Iterator[OpenAICompatibleServer]:
    """A fresh local OpenAI-compatible server per test (its rate-limited/flaky models fail once each)."""
    with OpenAICompatibleServer(first_token_delay_s=0.05, chunk_delay_s=0.005, retry_after="0") as server:
        yield server
