import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from xinshao.api.models import AccessToken
from xinshao.api.services import MAX_LIFETIME_DAYS

DEFAULT_LIFETIME_DAYS = 90


class TokenForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=80,
                           help_text=_("写明给哪个系统用，如“区学籍系统同步”。"))
    scope = forms.ChoiceField(label=_("权限"), choices=AccessToken.Scope.choices, initial=AccessToken.Scope.READ,
                              help_text=_("只读令牌只能查询；读写令牌还能确认预警、提交问卷、答复转介。"))
    expires_on = forms.DateField(label=_("有效期至"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].help_text = gettext("最长 %(days)s 天。") % {"days": MAX_LIFETIME_DAYS}
        self.fields["expires_on"].initial = timezone.localdate() + datetime.timedelta(days=DEFAULT_LIFETIME_DAYS)
