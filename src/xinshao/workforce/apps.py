from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "xinshao.workforce"
    verbose_name = _("心理教师队伍")
