from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NormsConfig(AppConfig):
    name = "xinshao.norms"
    label = "norms"
    verbose_name = _("本地常模与量表质量")
