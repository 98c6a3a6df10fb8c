from django import forms
from django.utils.translation import gettext_lazy as _

from xinshao.alerts.models import Level
from xinshao.cases.models import Case

VIEWS = [("", _("全部可见个案")), ("mine", _("我负责或参与的")), ("no_plan", _("高风险且没有干预计划"))]


class CaseFilterForm(forms.Form):
    view = forms.ChoiceField(label=_("范围"), choices=VIEWS, required=False)
    state = forms.ChoiceField(label=_("状态"), choices=[("open", _("未结案")), ("", _("全部"))] + Case.State.choices,
                              required=False)
    level = forms.ChoiceField(label=_("风险等级"), choices=[("", _("全部"))] + Level.choices, required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {"view": "", "state": "open", "level": ""}
        state = self.cleaned_data["state"] if "state" in self.data else "open"
        return {"view": self.cleaned_data["view"], "state": state, "level": self.cleaned_data["level"]}


class CaseOpenForm(forms.Form):
    student_number = forms.CharField(label=_("学号"), max_length=30)
    level = forms.ChoiceField(label=_("风险等级"), choices=Level.choices)
    reason = forms.CharField(label=_("开案原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class CaseFromAlertForm(forms.Form):
    level = forms.ChoiceField(label=_("风险等级"), choices=Level.choices)
    reason = forms.CharField(label=_("开案原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class CaseCloseForm(forms.Form):
    """Closing has its own form: its mistakes are shown next to the review, on the case page."""
    closure_review = forms.CharField(
        label=_("结案评估（目前状况、风险是否解除、后续安排）"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": _("请写结案评估。")})


class CaseChangeForm(forms.Form):
    ACTIONS = ["state", "reopen", "level", "owner"]

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    to_state = forms.ChoiceField(choices=Case.State.choices, required=False)
    level = forms.ChoiceField(choices=Level.choices, required=False)
    owner = forms.IntegerField(required=False)
    reason = forms.CharField(label=_("原因"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
