from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "xinshao.people"
    label = "people"
    verbose_name = _("学生与监护人")
