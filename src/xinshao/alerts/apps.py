from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "xinshao.alerts"
    label = "alerts"
    verbose_name = _("预警")

    def ready(self):
        # Critical flags from a submission raise their alert at once (campaigns/hooks.py).
        from xinshao.alerts import screening

        screening.register()
