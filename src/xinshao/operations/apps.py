from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "xinshao.operations"
    verbose_name = _("运行维护")
