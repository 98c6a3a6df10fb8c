import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from xinshao.api.services import token_create


def make_token(user, scope: str = "write", days: int = 30) -> str:
    return token_create(owner=user, name="测试", scope=scope,
                        expires_on=timezone.localdate() + datetime.timedelta(days=days)).secret


@pytest.fixture
def api_client(client):
    """api_client(user_or_secret, scope="write") -> a test client whose requests carry the user's token."""
    def with_token(who, scope: str = "write"):
        secret = who if isinstance(who, str) else make_token(who, scope)
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        return client
    return with_token


@pytest.fixture(autouse=True)
def _fresh_rate_windows():
    cache.clear()
    yield
    cache.clear()
