"""Forms of referral: the guardian's consent and sending (school side), and the agency's answers.

A form says plainly what is missing; the services in referrals/services.py check the rest (the
consent rule among them), and nothing is stored while anything is wrong.
"""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinshao.alerts.models import Level
from xinshao.cases.referrals import selectors
from xinshao.cases.models import ReferralConsent
from xinshao.cases.referrals.services import (
    MAX_TEXT_LENGTH,
    NAME_MAX,
    RELATION_MAX,
    SHORT_TEXT_MAX,
    WITHOUT_AGREEMENT_MAX,
    no_agreement_refusal,
    no_consent_refusal,
)
from xinshao.partners.selectors import valid_until_by_agency

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text_field(label, *, required: bool = True, max_length: int = MAX_TEXT_LENGTH, rows: int = 4,
                help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length, strip=True, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows, "maxlength": max_length}))


def _date_field(label) -> forms.DateField:
    return forms.DateField(label=label, widget=_DATE, error_messages={"required": _("请填写日期。"),
                                                                     "invalid": _("请按 年-月-日 填写日期。")})


class ConsentForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("同意转介的机构"), queryset=None, empty_label=None,
                                    error_messages={"invalid_choice": _("请从列表中选择机构。")})
    guardian = forms.ModelChoiceField(label=_("监护人"), queryset=None, required=False,
                                      empty_label=_("（不在名册中，下面填写）"),
                                      error_messages={"invalid_choice": _("请从这名学生的监护人中选择。")})
    given_by = forms.CharField(label=_("同意人"), max_length=NAME_MAX, required=False,
                               help_text=_("选了名册中的监护人时可不填。"))
    relation = forms.CharField(label=_("与学生关系"), max_length=RELATION_MAX, required=False)
    method = forms.ChoiceField(label=_("同意方式"), choices=ReferralConsent.Method.choices)
    given_on = _date_field(_("同意日期"))
    shares_diagnosis = forms.BooleanField(
        label=_("监护人同意机构把诊断摘要反馈给学校"), required=False,
        help_text=_("不勾选时，机构只反馈建议和返校意见，不反馈诊断。"))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = selectors.agencies_for_case(case)
        self.fields["guardian"].queryset = case.student.guardians.order_by("name")
        self.fields["given_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if not data.get("guardian") and not (data.get("given_by") and data.get("relation")):
            raise forms.ValidationError(_("请选择名册中的监护人，或填写同意人及其与学生的关系。"))
        return data


class ReferralForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("转介机构"), queryset=None, empty_label=None,
                                    help_text=_("一般只选择已记录监护人同意的机构。"),
                                    error_messages={"invalid_choice": _("请从列表中选择机构。"),
                                                    "required": _("请从列表中选择机构。")})
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Level.choices,
                                help_text=_("机构的回复期限：红色 1 天，橙色 3 天，黄色 7 天。"))
    reason = _text_field(_("转介原因与需要机构知道的情况"), rows=6,
                         help_text=_("机构会看到这段文字以及学生的姓名、性别、年龄和学校；个案中的其他记录不会给机构。"))
    without_agreement_reason = _text_field(
        _("无有效服务协议仍转介的原因"), required=False, max_length=WITHOUT_AGREEMENT_MAX, rows=2,
        help_text=_("只在所选机构与本校没有有效服务协议时填写，例如情况紧急、就近就医。原因会记入个案，并由教育局查阅；"
                    "请不要写诊断或病情。"))
    override_reason = _text_field(
        _("未经监护人同意紧急转介的原因"), required=False, rows=3,
        help_text=_("只在所选机构没有有效的监护人同意、而情况紧急等不及时填写（至少 20 字），例如学生有即刻的自伤危险、"
                    "联系不上监护人。原因会被审计，并由教育局心理中心复核。"))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        # agency id → the last day of a valid agreement covering the case's school
        self.valid_until = valid_until_by_agency(case.school, timezone.localdate())
        self.consented = set(selectors.agencies_with_consent(case).values_list("pk", flat=True))
        self.fields["agency"].queryset = selectors.agencies_for_case(case)
        self.fields["agency"].label_from_instance = self._agency_label
        self.fields["urgency"].initial = case.level

    def _agency_label(self, agency) -> str:
        until = self.valid_until.get(agency.pk)
        if until is None:
            label = _("%(agency)s（与本校无有效服务协议）") % {"agency": agency.name}
        else:
            label = _("%(agency)s（服务协议有效至 %(day)s）") % {"agency": agency.name, "day": until.strftime("%Y-%m-%d")}
        return label if agency.pk in self.consented else label + _("（无监护人同意）")

    def agencies_with_agreement(self) -> list[int]:
        """For the page's script: the agencies that need no reason."""
        return sorted(self.valid_until)

    def clean(self):
        data = super().clean()
        agency = data.get("agency")
        if agency is not None and agency.pk not in self.valid_until and not data.get("without_agreement_reason"):
            self.add_error("without_agreement_reason", no_agreement_refusal(agency))
        if agency is not None and agency.pk not in self.consented and not data.get("override_reason"):
            self.add_error("override_reason", no_consent_refusal(agency))
        return data


class DeclineForm(forms.Form):
    reason = _text_field(_("不能接收的原因"), max_length=SHORT_TEXT_MAX, rows=3)


class SeenForm(forms.Form):
    seen_on = _date_field(_("就诊日期"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_on"].initial = timezone.localdate()


class FeedbackForm(forms.Form):
    # The page shows this field only when the consent allows it; the service refuses it otherwise.
    diagnosis_summary = _text_field(_("诊断摘要"), required=False)
    recommendations = _text_field(_("给学校的建议"), rows=5)
    return_to_school = _text_field(_("返校建议"), required=False, max_length=SHORT_TEXT_MAX, rows=2)
