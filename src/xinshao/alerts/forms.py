import json

from django import forms
from django.utils.translation import gettext_lazy as _

from xinshao.alerts.models import Alert, Level

STATE_FILTERS = [("open", _("未处理完")), ("new", _("待确认")), ("acknowledged", _("已确认")),
                 ("case_opened", _("已转个案")), ("closed", _("已关闭")), ("", _("全部"))]


class InboxFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), choices=STATE_FILTERS, required=False, initial="open")
    level = forms.ChoiceField(label=_("级别"), choices=[("", _("全部"))] + Level.choices, required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {"state": "open", "level": ""}
        state = self.cleaned_data["state"] if "state" in self.data else "open"
        return {"state": state, "level": self.cleaned_data["level"]}


class AlertActionForm(forms.Form):
    ACTIONS = ["acknowledge", "reassign", "close", "confirm_close", "decline_close"]

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    reason = forms.CharField(label=_("原因"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.IntegerField(label=_("负责人"), required=False)

    def __init__(self, *args, alert: Alert | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.alert = alert


class RulesForm(forms.Form):
    rules = forms.CharField(label=_("规则（JSON）"), widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false"}))
    note = forms.CharField(label=_("修改说明"), max_length=200)

    def clean_rules(self):
        text = self.cleaned_data["rules"]
        try:
            return json.loads(text)
        except ValueError as error:
            raise forms.ValidationError(
                _("不是有效的 JSON：第 %(line)s 行第 %(column)s 列：%(message)s")
                % {"line": error.lineno, "column": error.colno, "message": error.msg}) from None
