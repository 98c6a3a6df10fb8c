from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounselingConfig(AppConfig):
    name = "xinshao.counseling"
    label = "counseling"
    verbose_name = _("心理辅导室与预约")
