from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "xinshao.partners"
    label = "partners"
    verbose_name = _("合作机构与服务协议")
