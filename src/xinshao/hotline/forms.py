"""Forms of the hotline and the centre. The call form is one page for a live call, keyboard only:
the call type has the focus, every choice is a radio group (arrow keys), Enter submits. A form says
plainly what is missing; the services check the rest, and nothing is stored while anything is wrong.

A student is found by an exact search (school + full name, or school + student number) run when the
form is sent; the operator never picks from a list of a school's students.
"""
from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from xinshao.access import scopes
from xinshao.hotline.models import Action, CallerType, CallType, Channel, Risk, Topic, Urgency, VisitOutcome
from xinshao.hotline.services import MAX_DURATION, TEXT_MAX

_TEXT = {"rows": 3, "maxlength": TEXT_MAX}
_LOCAL = "%Y-%m-%dT%H:%M"


def _radio(choices, label, *, initial=None, what=None):
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, initial=initial,
                             error_messages={"required": _("请选择%(what)s。") % {"what": what or label},
                                             "invalid_choice": _("请从选项中选择。")})


def _text(label, *, required=False):
    return forms.CharField(label=label, required=required, max_length=TEXT_MAX, strip=True,
                           widget=forms.Textarea(attrs=_TEXT), error_messages={"required": _("请填写这一项。")})


def _when(label, *, required=True):
    return forms.DateTimeField(label=label, required=required, input_formats=[_LOCAL, "%Y-%m-%d %H:%M"],
                               widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_LOCAL),
                               error_messages={"required": _("请填写时间。"), "invalid": _("请按“年-月-日 时:分”填写时间。")})


def _topics_field():
    return forms.ModelMultipleChoiceField(
        label=_("话题（可多选）"), queryset=Topic.objects.filter(is_active=True), required=False,
        widget=forms.CheckboxSelectMultiple, error_messages={"invalid_choice": _("请从列表中选择话题。")})


class StudentSearchMixin:
    """School + exact name or student number. A form may hold several searches, one per `suffix`
    ("" for the first, "_2" for a second child); `_find_student` gives the one match or None."""

    def _student_fields(self, user, suffix="", *, label=""):
        self.fields[f"school{suffix}"] = forms.ModelChoiceField(
            label=format_lazy("{}{}", label, _("学校")), queryset=scopes.schools_visible_to(user).order_by("name"), required=False,
            empty_label=_("不清楚 / 未说明"), error_messages={"invalid_choice": _("请从列表中选择学校。")})
        self.fields[f"student_name{suffix}"] = forms.CharField(
            label=format_lazy("{}{}", label, _("学生姓名")), max_length=50, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"}))
        self.fields[f"student_number{suffix}"] = forms.CharField(
            label=format_lazy("{}{}", label, _("学号")), max_length=30, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"}),
            help_text=_("填写学校和全名，或学校和学号，才能找到学生；都不填则记为身份不明。"))

    def _find_student(self, data, suffix=""):
        name, number = data.get(f"student_name{suffix}", ""), data.get(f"student_number{suffix}", "")
        school = data.get(f"school{suffix}")
        if not (name or number):
            return None
        if school is None:
            if f"school{suffix}" not in self.errors:
                self.add_error(f"school{suffix}", _("找学生需要先选择学校。"))
            return None
        found = self.search(school=school, name=name, student_number=number)
        if len(found) == 1:
            return found[0]
        if not found:
            self.add_error(f"student_name{suffix}", _("在这所学校没有找到这名学生。请核对全名或学号；无法确认时清空姓名和学号，记为身份不明。"))
        else:
            self.add_error(f"student_number{suffix}", _("这所学校有同名学生，请再填写学号。"))
        return None


class CallForm(StudentSearchMixin, forms.Form):
    call_type = _radio(CallType.choices, _("来电类型"))
    channel = _radio(Channel.choices, _("渠道"), initial=Channel.PHONE)
    caller_type = _radio(CallerType.choices, _("来电人"))
    duration_minutes = forms.IntegerField(
        label=_("通话时长（分钟）"), min_value=0, max_value=MAX_DURATION,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": _("请填写通话时长。"), "invalid": _("请填写整数分钟。"),
                        "min_value": _("时长不能为负数。"), "max_value": _("时长不能超过 %(limit_value)s 分钟。")})
    urgency = _radio(Urgency.choices, _("紧急程度"), initial=Urgency.ROUTINE)
    risk = _radio(Risk.choices, _("风险评估"), initial=Risk.NONE)
    topics = _topics_field()
    caller_description = _text(_("来电人描述（身份不明时）"))
    actions = forms.MultipleChoiceField(label=_("采取的措施（可多选）"), choices=Action.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple,
                                        error_messages={"invalid_choice": _("请从选项中选择。")})
    raise_alert = forms.BooleanField(label=_("发起预警（学生已确认时）"), required=False,
                                     help_text=_("风险为高或紧急时会自动发起预警。"))
    callback_owed = forms.BooleanField(label=_("需要回电"), required=False)
    callback_due_at = _when(_("回电期限"), required=False)
    notes = _text(_("接线记录"))
    started_at = _when(_("来电时间"))

    def __init__(self, *args, user, search=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.search, self.editing, self.student = search, editing, None
        if not editing:
            self._student_fields(user)
            self.order_fields(["call_type", "channel", "caller_type", "duration_minutes", "urgency", "risk", "topics",
                               "school", "student_name", "student_number", "caller_description"])
        self.fields["call_type"].widget.attrs.update({"autofocus": True, "accesskey": "t"})
        self.fields["started_at"].initial = timezone.localtime().strftime(_LOCAL)

    def clean(self):
        data = super().clean()
        if data.get("callback_owed") and not data.get("callback_due_at") and "callback_due_at" not in self.errors:
            self.add_error("callback_due_at", _("需要回电时，请填写回电期限。"))
        if not data.get("callback_owed"):
            data["callback_due_at"] = None
        if not self.editing and not self.errors:
            self.student = self._find_student(data)
        if data.get("raise_alert") and not self.editing and self.student is None and not self.errors:
            self.add_error("raise_alert", _("只有确认了学生，才能发起预警。"))
        return data

    def call_fields(self) -> dict:
        data = self.cleaned_data
        keys = ("started_at", "duration_minutes", "channel", "call_type", "caller_type", "urgency", "risk", "actions",
                "caller_description", "raise_alert", "notes", "callback_due_at")
        return {key: data[key] for key in keys}


class CallbackForm(forms.Form):
    outcome = _text(_("回电结果"), required=True)


# A family often comes about two children (siblings); more are described in words.
VISIT_CHILD_SEARCHES = (("", ""), ("_2", _("第二个孩子：")))


class VisitForm(StudentSearchMixin, forms.Form):
    visited_at = _when(_("来访时间"))
    counselor = forms.ModelChoiceField(label=_("接待咨询师"), queryset=None,
                                       error_messages={"required": _("请选择接待咨询师。"),
                                                       "invalid_choice": _("请从列表中选择咨询师。")})
    family_members = forms.CharField(label=_("来访家庭成员"), max_length=TEXT_MAX,
                                     widget=forms.Textarea(attrs={"rows": 3}),
                                     help_text=_("每行一位：关系 姓名，例如“母亲 王丽”。"),
                                     error_messages={"required": _("请至少写一位来访的家庭成员。")})
    unidentified_children = _text(_("未识别的孩子（描述）"))
    presenting_concern = _text(_("来访原因"), required=True)
    topics = _topics_field()
    outcome = _radio(VisitOutcome.choices, _("结果"))
    notes = _text(_("咨询记录"))
    next_visit_on = forms.DateField(label=_("下次来访日期"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}),
                                    error_messages={"invalid": _("请按“年-月-日”填写日期。")})

    def __init__(self, *args, user, search=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.search, self.students = search, []
        self.fields["counselor"].queryset = scopes.centre_counselors(user)
        self.fields["counselor"].initial = user.pk
        for suffix, label in VISIT_CHILD_SEARCHES:
            self._student_fields(user, suffix, label=label)
        self.order_fields(["visited_at", "counselor", "family_members",
                           *(f"{field}{suffix}" for suffix, _label in VISIT_CHILD_SEARCHES
                             for field in ("school", "student_name", "student_number")),
                           "unidentified_children", "presenting_concern", "topics"])
        self.fields["visited_at"].initial = timezone.localtime().strftime(_LOCAL)

    def clean(self):
        data = super().clean()
        if not self.errors:
            found = [self._find_student(data, suffix) for suffix, _label in VISIT_CHILD_SEARCHES]
            self.students = list(dict.fromkeys(student for student in found if student is not None))
        return data


class TopicForm(forms.Form):
    name = forms.CharField(label=_("新话题"), max_length=40, error_messages={"required": _("请填写话题名称。")})
    position = forms.IntegerField(label=_("顺序"), min_value=0, max_value=999, initial=100,
                                  error_messages={"required": _("请填写顺序。"), "invalid": _("请填写整数。")})

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Topic.objects.filter(name=name).exists():
            raise forms.ValidationError(_("已有这个话题。"))
        return name
