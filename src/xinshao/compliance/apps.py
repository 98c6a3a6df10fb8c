from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "xinshao.compliance"
    label = "compliance"
    verbose_name = _("个人信息保护合规")

    def ready(self) -> None:
        # The yearly report's export kind (exports/kinds.py) and the overdue-incident job, by name.
        from xinshao.compliance import exports, tasks  # noqa: F401
