"""Forms for intervention in a case. They say plainly what is missing; the services in
cases/intervention.py check everything again and write nothing while anything is wrong.

Guardians are chosen only from the student's own guardians, and an action's owner only from the
case owner and team, so a form never offers a person outside the case.
"""
from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from xinshao.cases.intervention.services import (
    ACTION_MAX_LENGTH,
    MAX_NOTES_LENGTH,
    MAX_SESSION_MINUTES,
    MAX_TEXT_LENGTH,
    action_assignees,
)
from xinshao.cases.models import Case, CounsellingSession, GuardianContact, SafetyPlan

_MOMENT_FORMAT = "%Y-%m-%dT%H:%M"


def _moment_field(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, input_formats=[_MOMENT_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_MOMENT_FORMAT),
        error_messages={"required": _("请填写时间。"), "invalid": _("请按“年-月-日 时:分”填写时间。")})


def _text_field(label, *, required: bool = True, maximum: int = MAX_TEXT_LENGTH, rows: int = 4,
                help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=maximum, strip=True, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows, "maxlength": maximum}),
                           error_messages={"required": format_lazy(_("请填写“{}”。"), label)})


def _now_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


class SessionForm(forms.Form):
    held_at = _moment_field(_("时间"))
    kind = forms.ChoiceField(label=_("形式"), choices=CounsellingSession.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("请选择辅导形式。")})
    minutes = forms.IntegerField(label=_("时长（分钟）"), min_value=1, max_value=MAX_SESSION_MINUTES, initial=45,
                                 widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                                 error_messages={"required": _("请填写时长（分钟数）。"),
                                                 "invalid": _("时长请填一个整数，例如 45。")})
    private_notes = _text_field(_("辅导记录（保密）"), maximum=MAX_NOTES_LENGTH, rows=10,
                                help_text=_("只有个案负责人、团队中的心理教师和教育局心理中心能阅读，每次阅读都会记入审计日志。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_at"].initial = _now_minute


class SafetyPlanForm(forms.Form):
    warning_signs = _text_field(_("预警信号（自己能察觉的迹象）"),
                                help_text=_("用学生自己的话写：什么想法、心情或处境说明危机可能要来了。"))
    coping_steps = _text_field(_("自我调节方法"), help_text=_("不需要别人帮忙、自己就能做的事。"))
    people_to_contact = _text_field(_("可以联系的人"), help_text=_("家人、老师、朋友，写上怎么联系。"))
    professional_help = _text_field(_("专业求助方式"), help_text=_("学校心理老师、心理援助热线、医院急诊。"))
    means_safety = _text_field(_("环境安全措施"), required=False,
                               help_text=_("让危险物品远离学生的安排（可不填）。"))

    @classmethod
    def initial_from(cls, plan: SafetyPlan | None) -> dict:
        """A new version starts from the plan in force, so only what changed needs typing."""
        return {name: getattr(plan, name) for name in cls.base_fields} if plan else {}


class _GuardianChoice(forms.ModelChoiceField):
    def __init__(self, *args, relations: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.relations = relations

    def label_from_instance(self, guardian) -> str:
        relation = self.relations.get(guardian.pk)
        return f"{guardian.name}（{relation}）" if relation else guardian.name


class GuardianContactForm(forms.Form):
    guardian = forms.Field(label=_("监护人"))  # replaced per case in __init__
    contacted_at = _moment_field(_("时间"))
    method = forms.ChoiceField(label=_("方式"), choices=GuardianContact.Method.choices, widget=forms.RadioSelect,
                               error_messages={"required": _("请选择沟通方式。")})
    what_was_said = _text_field(_("沟通内容"), rows=6, help_text=_("说了什么、监护人的想法、双方约定的事。"))

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        links = case.student.guardian_links.select_related("guardian")
        self.fields["guardian"] = _GuardianChoice(
            label=_("监护人"), queryset=case.student.guardians.order_by("name"), empty_label=None,
            relations={link.guardian_id: link.relation for link in links},
            error_messages={"required": _("请选择监护人。"), "invalid_choice": _("请从这名学生的监护人中选择。")})
        self.fields["contacted_at"].initial = _now_minute


class _AssigneeChoice(forms.ModelChoiceField):
    def __init__(self, *args, parts: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = parts

    def label_from_instance(self, user) -> str:
        part = self.parts.get(user.pk)
        return f"{user}（{part}）" if part else str(user)


class ActionForm(forms.Form):
    description = forms.CharField(label=_("措施"), max_length=ACTION_MAX_LENGTH, strip=True,
                                  error_messages={"required": _("请写下要做的措施。")},
                                  widget=forms.TextInput(attrs={"maxlength": ACTION_MAX_LENGTH}),
                                  help_text=_("例如：每周一次个别辅导；班主任每天放学前和学生打个招呼。"))
    assignee = forms.Field(label=_("负责人"))  # replaced per case in __init__
    due_on = forms.DateField(label=_("完成期限"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                             error_messages={"required": _("请填写完成期限。"), "invalid": _("请按“年-月-日”填写日期。")})

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        parts = {member.user_id: member.get_part_display() for member in case.team.all()}
        parts[case.owner_id] = _("个案负责人")
        self.fields["assignee"] = _AssigneeChoice(
            label=_("负责人"), queryset=action_assignees(case), parts=parts, initial=case.owner_id,
            error_messages={"required": _("请选择负责人。"),
                            "invalid_choice": _("请从个案负责人和团队成员中选择。")})
