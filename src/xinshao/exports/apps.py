from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "xinshao.exports"
    label = "exports"
    verbose_name = _("导出")

    def ready(self) -> None:
        # The kinds of this app register themselves when imported (kinds.py's registry).
        from xinshao.exports import lists, school_sheets  # noqa: F401
