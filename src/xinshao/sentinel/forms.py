"""Forms of the sentinel channels. A form says plainly what is missing; the services check the
rest, and nothing is stored while anything is wrong.

Students are chosen only from the user's scope: a committee member types a classmate's name
(matched on the server, among their own class), a class teacher picks from their own classes,
a guardian from their own children.
"""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinshao.access import scopes
from xinshao.alerts.concerns import Concern
from xinshao.sentinel import selectors
from xinshao.sentinel.models import ConcernLevel, HomeSchoolRecord, Mood, Stress
from xinshao.sentinel.services import NOTE_MAX

_NOTE_ATTRS = {"rows": 4, "maxlength": NOTE_MAX}


def _concerns_field(*, required: bool, label=_("注意到的情况（可多选）")) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=Concern.choices, required=required, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少勾选一项。如果都不太符合，可以选“其他”，再写下来。")})


def _note_field(label, *, required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=NOTE_MAX, strip=True,
                           widget=forms.Textarea(attrs=_NOTE_ATTRS))


class _StudentChoice(forms.ModelChoiceField):
    def label_from_instance(self, student) -> str:
        return f"{student.name}（{student.school_class} · {student.student_number}）"


def _student_field(queryset, label) -> _StudentChoice:
    return _StudentChoice(label=label, queryset=queryset.order_by("school_class__grade__level", "school_class__name",
                                                                  "student_number"),
                          error_messages={"required": _("请选择学生。"),
                                          "invalid_choice": _("请从列表中选择学生。")})


class CommitteeReportForm(forms.Form):
    name = forms.CharField(label=_("同学的姓名"), max_length=50,
                           widget=forms.TextInput(attrs={"autocomplete": "off"}),
                           error_messages={"required": _("请写下同学的全名。")})
    student_number = forms.CharField(label=_("学号（可不填）"), max_length=30, required=False,
                                     help_text=_("班里有同名同学时，请填上学号。"),
                                     widget=forms.TextInput(attrs={"autocomplete": "off"}))
    concerns = _concerns_field(required=True)
    note = _note_field(_("你注意到了什么（可不填）"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.student = None

    def clean(self):
        data = super().clean()
        if "name" not in data:
            return data
        match, student = selectors.classmate_find(self.user, name=data["name"],
                                                  student_number=data.get("student_number", ""))
        if match == selectors.NameMatch.NONE and data.get("student_number"):
            self.add_error("name", _("没有在你的班里找到这位同学。请核对同学的全名和学号。"))
        elif match == selectors.NameMatch.NONE:
            self.add_error("name", _("没有在你的班里找到这位同学。请写同学的全名；如果还是找不到，请加上学号。"))
        elif match == selectors.NameMatch.SEVERAL:
            self.add_error("student_number", _("班里有同名的同学，请加上这位同学的学号。"))
        self.student = student
        return data


class SelfCheckInForm(forms.Form):
    mood = forms.TypedChoiceField(label=_("今天的心情怎么样？"), coerce=int, choices=Mood.choices,
                                  widget=forms.RadioSelect,
                                  error_messages={"required": _("请选一个最接近你现在感受的词。")})
    stress = forms.TypedChoiceField(label=_("最近觉得压力大吗？"), coerce=int, choices=Stress.choices,
                                    widget=forms.RadioSelect,
                                    error_messages={"required": _("请选一个最接近的程度。")})
    wants_talk = forms.BooleanField(label=_("我想和心理老师聊聊"), required=False)
    note = _note_field(_("还想说点什么吗（可不填）"))


class HomeSchoolRecordForm(forms.Form):
    student = _StudentChoice(label=_("学生"), queryset=None)
    kind = forms.ChoiceField(label=_("类型"), choices=HomeSchoolRecord.Kind.choices, widget=forms.RadioSelect)
    happened_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    participants = forms.CharField(label=_("参加人员"), max_length=200,
                                   help_text=_("例如：母亲、父亲、班主任"))
    summary = _note_field(_("情况记录"), required=True)
    concern = forms.ChoiceField(label=_("担心程度"), choices=ConcernLevel.choices, widget=forms.RadioSelect)
    concerns = _concerns_field(required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"] = _student_field(scopes.students_recordable_by(user), _("学生"))
        self.fields["happened_on"].initial = timezone.localdate()

    def clean_happened_on(self):
        day = self.cleaned_data["happened_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("日期不能晚于今天。"))
        return day


class TeacherReferralForm(forms.Form):
    student = _StudentChoice(label=_("学生"), queryset=None)
    concerns = _concerns_field(required=True)
    note = _note_field(_("补充说明（可不填）"))
    urgent = forms.BooleanField(label=_("需要立即处理"), required=False,
                                help_text=_("学生可能马上有危险时勾选；同时请直接打电话给心理老师。"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"] = _student_field(scopes.students_recordable_by(user), _("学生"))


class GuardianConcernForm(forms.Form):
    student = forms.ModelChoiceField(label=_("孩子"), queryset=None, empty_label=None,
                                     error_messages={"invalid_choice": _("请从列表中选择孩子。")})
    concerns = _concerns_field(required=True, label=_("您注意到的情况（可多选）"))
    note = _note_field(_("想告诉老师的话（可不填）"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = scopes.guardian_children(user).order_by("name")
