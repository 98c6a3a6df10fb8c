from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "xinshao.retention"
    label = "retention"
    verbose_name = _("数据保存期限")

    def ready(self) -> None:
        # The periodic job is referenced by name (celery.py); the guardian's copy is an export kind.
        for module in ("exports", "tasks"):
            import_module(f"{self.name}.{module}")
