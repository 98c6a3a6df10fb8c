from django import forms
from django.utils.translation import gettext_lazy as _

from xinshao.campaigns.codes import ALPHABET, LENGTH, code_normalise
from xinshao.campaigns.models import HelpRequest


class AccessCodeForm(forms.Form):
    code = forms.CharField(
        label=_("测评码"), max_length=30,
        help_text=_("在老师发的纸条上，共 10 位字母和数字，例如 ABCDE-FGHJK。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                                      "inputmode": "text", "class": "code-input"}),
    )

    def clean_code(self) -> str:
        code = code_normalise(self.cleaned_data["code"])
        if len(code) != LENGTH or any(char not in ALPHABET for char in code):
            raise forms.ValidationError(_("测评码是 10 位字母和数字，请对照纸条再输入一次。"))
        return code


class HelpRequestForm(forms.ModelForm):
    class Meta:
        model = HelpRequest
        fields = ["message", "contact"]
        labels = {"message": _("想说的话（可不填）"), "contact": _("怎么联系你（可不填）")}
        help_texts = {"contact": _("手机号、微信或邮箱都可以。不填时，心理中心会用你在平台登记的联系方式联系你，不会经过学校。")}
        widgets = {"message": forms.Textarea(attrs={"rows": 4, "maxlength": 1000})}

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if len(message) > 1000:
            raise forms.ValidationError(_("请控制在 1000 字以内。"))
        return message
