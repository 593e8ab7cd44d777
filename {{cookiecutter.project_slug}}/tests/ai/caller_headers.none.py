"""Who calls the summary route in tests/ai/: anyone, counted by address."""

import pytest


@pytest.fixture
def caller_headers() -> dict[str, str]:
    return {}
