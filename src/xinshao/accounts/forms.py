from django import forms
from django.utils.translation import gettext_lazy as _

from xinshao.accounts.models import BreakGlassGrant


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(label=_("验证码"), max_length=20, strip=True,
                           help_text=_("身份验证器上的 6 位数字，或一个备用码"))


class BreakGlassForm(forms.ModelForm):
    class Meta:
        model = BreakGlassGrant
        fields = ["reason"]
        labels = {"reason": _("紧急访问理由（必填，将被审计并报告）")}

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 10:
            raise forms.ValidationError(_("请写明紧急情况和为什么需要查看（至少 10 个字）。"))
        return reason
