"""The transfer form, with its handover note. A form says plainly what is missing; the service
checks the rest (rights, the city, the open case), and nothing is stored while anything is wrong."""
from django import forms
from django.utils.translation import gettext_lazy as _

from xinshao.cases.handover import services as handover
from xinshao.org.models import School, SchoolClass


class _ClassChoice(forms.ModelChoiceField):
    def label_from_instance(self, school_class) -> str:
        return str(school_class)


class TransferForm(forms.Form):
    """Step one picks the school (GET, so the class list can follow); step two the rest."""
    to_school = forms.ModelChoiceField(label=_("转入学校"), queryset=School.objects.none(),
                                       error_messages={"required": _("请选择转入学校。"),
                                                       "invalid_choice": _("请从列表中选择本市的学校。")})
    to_class = _ClassChoice(label=_("转入班级"), queryset=SchoolClass.objects.none(),
                            error_messages={"required": _("请选择转入班级。"),
                                            "invalid_choice": _("请选择转入学校的班级。")})
    reason = forms.CharField(label=_("转学原因"), max_length=handover.REASON_MAX,
                             error_messages={"required": _("请写明转学原因。")})
    handover_note = forms.CharField(
        label=_("交接说明（给接收学校心理教师）"), required=False, max_length=handover.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("学生有未结案的个案时必须填写：目前的情况、已做的工作、需要特别注意的事。"))

    def __init__(self, *args, schools, classes, note_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_school"].queryset = schools
        self.fields["to_class"].queryset = classes
        note = self.fields["handover_note"]
        note.required = note_required  # the service checks it again, with its minimum length
        note.error_messages["required"] = _("这名学生有未结案的个案：请写交接说明。")
