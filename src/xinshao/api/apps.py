from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "xinshao.api"
    label = "xinshao_api"  # "api" is too generic a label to keep free of clashes
    verbose_name = _("接口")
