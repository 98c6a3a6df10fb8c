from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "xinshao.core"
    label = "core"
    verbose_name = _("核心")

    def ready(self) -> None:
        # Make the project's Celery app the current one, so @shared_task jobs queue through it
        # (in-process without a broker). Done here, not in xinshao/__init__, so that plain-Python
        # parts such as the scoring engine can be imported without Django.
        from xinshao.celery import app  # noqa: F401
