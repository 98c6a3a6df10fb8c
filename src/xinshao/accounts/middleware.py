"""Session guards run on every request after sign-in: idle timeout, then the second factor."""
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from xinshao.accounts import two_factor

LAST_SEEN = "xinshao_last_seen"
# The last-seen time is written at most this often, so that most requests do not save the session.
LAST_SEEN_RESOLUTION = 60


def mark_seen(request, now: float) -> None:
    request.session[LAST_SEEN] = now


class IdleTimeoutMiddleware:
    """Sign out a session that has made no request for XINSHAO_IDLE_TIMEOUT_MINUTES: a shared
    staff-room computer left open must not stay in a teacher's account."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is not None and now - last_seen > settings.XINSHAO_IDLE_TIMEOUT_MINUTES * 60:
                logout(request)
                messages.info(request, _("您已较长时间未操作，为保护学生信息已自动退出，请重新登录。"))
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
                mark_seen(request, now)
        return self.get_response(request)


class TwoFactorMiddleware:
    """Until a session has passed the second factor, a user who needs one reaches only the
    two-factor page itself, sign-out and the language switch."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (request.user.is_authenticated and not two_factor.is_verified(request)
                and not self._open_before_verification(request.path)):
            if two_factor.needs_second_factor(request.user):
                return redirect(f"{reverse('accounts:two_factor')}?next={request.path}")
            # A session from before this check existed, of a user who needs none.
            two_factor.mark_verified(request)
        return self.get_response(request)

    @staticmethod
    def _open_before_verification(path: str) -> bool:
        open_paths = (reverse("accounts:two_factor"), reverse("accounts:logout"), reverse("set_language"))
        return path in open_paths or path.startswith(settings.STATIC_URL)
