"""Who calls the summary route in tests/ai/: a signed-in user."""

import pytest


@pytest.fixture
def caller_headers(user_headers: dict[str, str]) -> dict[str, str]:
    return user_headers
