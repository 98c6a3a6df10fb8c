"""Forms of the consent pages. Each says plainly what is missing; the services check the rest."""
from django import forms
from django.utils.translation import gettext_lazy as _

from xinshao.cases.models import ConsentOverride, ReferralConsentRequest
from xinshao.cases.referrals.selectors import agencies_for_case
from xinshao.cases.referrals.services import SHORT_TEXT_MAX


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(label=_("我确认撤回这项同意"),
                                 error_messages={"required": _("没有撤回：请先勾选“我确认撤回这项同意”。")})


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=ReferralConsentRequest.Answer.choices,
                               error_messages={"required": _("没有记录：请选择同意或不同意。"),
                                               "invalid_choice": _("没有记录：请选择同意或不同意。")})


class AskForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("拟转介的机构"), queryset=None, empty_label=None,
                                    error_messages={"invalid_choice": _("请从列表中选择机构。"),
                                                    "required": _("请从列表中选择机构。")})
    shares_diagnosis = forms.BooleanField(
        label=_("同时请监护人同意机构把诊断摘要反馈给学校"), required=False,
        help_text=_("不勾选时，机构只反馈建议和返校意见，不反馈诊断。"))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_for_case(case)


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(label=_("复核结论"), choices=ConsentOverride.Outcome.choices,
                                error_messages={"required": _("请选择复核结论。"),
                                                "invalid_choice": _("请选择复核结论。")})
    note = forms.CharField(label=_("复核意见"), max_length=SHORT_TEXT_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 2, "maxlength": SHORT_TEXT_MAX}))
