from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "xinshao.webhooks"
    label = "webhooks"
    verbose_name = _("事件推送")

    def ready(self) -> None:
        from xinshao.webhooks import tasks  # noqa: F401  (the tasks are queued by name)
