"""At sign-in: start the session's idle clock and decide whether it still owes a second factor.
On lock-out: tell the user in the app (if it was not them, someone is trying their password)."""
import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_noop

from axes.signals import user_locked_out
from xinshao.accounts import two_factor
from xinshao.accounts.middleware import mark_seen
from xinshao.accounts.models import User


@receiver(user_logged_in)
def session_started(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    mark_seen(request, time.time())
    two_factor.session_started(request, user)


@receiver(user_locked_out)
def notify_locked_out(sender, request, username, ip_address, **kwargs):
    # Imported here: notifications' models import accounts' models while apps load.
    from xinshao.notifications.services import notify
    from xinshao.notifications.texts import Text

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        return
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    notify([user], subject=Text(gettext_noop("账号已被暂时锁定")),
           body=Text(gettext_noop("有人连续 %(failures)s 次输错了您账号的密码（来源地址 %(address)s），账号已被锁定 "
                                  "%(minutes)s 分钟。如果不是您本人，请修改密码并联系教育局管理员；如需提前解除锁定，"
                                  "请联系本校管理员或教育局管理员核实身份后解除。"),
                     {"failures": settings.AXES_FAILURE_LIMIT, "address": ip_address or "", "minutes": minutes}),
           link=reverse("accounts:account"), urgent=False, topic="account_locked")
