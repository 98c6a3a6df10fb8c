from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "xinshao.hotline"
    label = "hotline"
    verbose_name = _("心理热线与来访")

    def ready(self):
        # Registers the hotline's export kinds (exports/kinds.py) in every process.
        from xinshao.hotline import exports  # noqa: F401
