from django import forms
from django.utils.translation import gettext_lazy as _

from xinshao.notifications.models import Delivery


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部"))] + list(Delivery.Status.choices))
