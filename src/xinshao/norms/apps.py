from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NormsConfig(AppConfig):
    name = "xinshao.norms"
    label = "norms"
    verbose_name = _("本地常模与量表质量")

    def ready(self):
        # Registers the tasks in every process, web ones too: adopting a table queues
        # place_stored_results by name (norms/services.py).
        from xinshao.norms import tasks  # noqa: F401
