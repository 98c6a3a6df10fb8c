from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "xinshao.alerts"
    label = "alerts"
    verbose_name = _("预警")

    def ready(self):
        # Registers the tasks in every process, web ones too: a submission queues
        # signals_for_results by name (campaigns/submissions.py).
        from xinshao.alerts import tasks  # noqa: F401
