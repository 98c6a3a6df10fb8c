"""Forms of follow-ups. A form says plainly what is missing;
the services check the rest (dates, rights, the open case), and nothing is stored while anything
is wrong."""
from django import forms
from django.utils.translation import gettext_lazy as _

from xinshao.cases.followups import services as followups


class FollowUpPlanForm(forms.Form):
    due_on = forms.DateField(label=_("回访日期"), widget=forms.DateInput(attrs={"type": "date"}),
                             error_messages={"required": _("请选择回访日期。"),
                                             "invalid": _("请按“年-月-日”填写日期，例如 2026-12-01。")})


class FollowUpDoneForm(forms.Form):
    outcome = forms.CharField(label=_("回访结果（学生目前的状况、是否需要继续关注）"), max_length=followups.OUTCOME_MAX,
                              widget=forms.Textarea(attrs={"rows": 5}),
                              error_messages={"required": _("请写下回访结果。")})


class FollowUpWaiveForm(forms.Form):
    reason = forms.CharField(label=_("免除原因"), max_length=followups.WAIVE_REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("请写明为什么不再需要这次回访。")})
