from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "xinshao.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from xinshao.notifications import channels  # noqa: F401  (registers the built-in channels)
        from xinshao.notifications.checks import check_channels

        checks.register(check_channels)
