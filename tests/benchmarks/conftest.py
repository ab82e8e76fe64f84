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


@pytest.fixture(autouse=True)
def _no_running_loop_left_by_playwright():
    """Playwright's sync API (tests/e2e, session-scoped browser) leaves its event loop marked as
    running in the main thread, and pytest-django orders database-free tests after the e2e ones, so
    the pure tests that call asyncio.run() would fail in a combined run. Hide that loop from them."""
    import asyncio

    loop = asyncio.events._get_running_loop()
    if loop is None:
        yield
        return
    asyncio.events._set_running_loop(None)
    try:
        yield
    finally:
        asyncio.events._set_running_loop(loop)
