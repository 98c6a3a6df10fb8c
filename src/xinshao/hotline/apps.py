from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "xinshao.hotline"
    label = "hotline"
    verbose_name = _("心理热线与来访")
