from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SentinelConfig(AppConfig):
    name = "xinshao.sentinel"
    label = "sentinel"
    verbose_name = _("班级与家校哨点")

    def ready(self):
        # Registers the attention list's export kind (exports/kinds.py) in every process.
        from xinshao.sentinel import exports  # noqa: F401
