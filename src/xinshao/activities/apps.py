from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "xinshao.activities"
    label = "activities"
    verbose_name = _("进校园活动审批")
