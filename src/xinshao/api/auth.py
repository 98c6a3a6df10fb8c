"""Bearer tokens: who a request acts as, whether its token may do this, and how often.

A token that is unknown, expired or revoked gets 401; a read token on a write operation 403.
Each token has API_RATE_LIMIT requests per minute (a fixed window counted in Django's cache);
past that: 429 with Retry-After, the seconds until the next window.
"""
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from xinshao.api.errors import ApiError
from xinshao.api.models import AccessToken
from xinshao.api.selectors import token_for_secret
from xinshao.api.services import token_used

WINDOW_SECONDS = 60
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _rate_check(token: AccessToken) -> None:
    limit = settings.API_RATE_LIMIT
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"api-rate:{token.pk}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry went between add and incr: this request opens the window again
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    if count > limit:
        retry_after = max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
        raise ApiError(429, "rate_limited",
                       _("请求太频繁：每个令牌每分钟最多 %(limit)s 次。请 %(seconds)s 秒后再试。")
                       % {"limit": limit, "seconds": retry_after},
                       headers={"Retry-After": str(retry_after)})


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = token_for_secret(token)
        now = timezone.now()
        if found is None or not found.is_usable(now) or not found.owner.is_active:
            raise ApiError(401, "invalid_token", _("令牌无效、已过期或已撤销。请在“接口令牌”页面新建一个。"),
                           headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        if request.method not in SAFE_METHODS and found.scope != AccessToken.Scope.WRITE:
            raise ApiError(403, "insufficient_scope", _("这是只读令牌，不能修改数据。请使用读写令牌。"))
        _rate_check(found)
        token_used(token=found, now=now)
        request.user = found.owner
        request.access_token = found
        return found.owner
