from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "xinshao.records"
    label = "records"
    verbose_name = _("心理成长档案")
