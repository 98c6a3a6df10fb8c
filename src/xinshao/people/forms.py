from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinshao.org.models import SchoolClass
from xinshao.people.models import Student
from xinshao.people.services import LEAVE_REASON_MAX


class StudentSearchForm(forms.Form):
    q = forms.CharField(label=_("姓名或学号"), required=False, max_length=50)
    school_class = forms.ModelChoiceField(label=_("班级"), queryset=SchoolClass.objects.none(), required=False,
                                          empty_label=_("全部班级"))

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = classes


class StudentEditForm(forms.ModelForm):
    """Editing a roster entry. The class list holds only the student's own school's classes,
    so a class of another school cannot be chosen even by a forged form. The status offers only
    the states of a student at school (在读, 休学): leaving goes through StudentLeaveForm, and a
    student who has left keeps their class and status here."""

    class Meta:
        model = Student
        fields = ["name", "gender", "birth_date", "school_class", "status"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.status in Student.LEFT_STATES:
            del self.fields["school_class"], self.fields["status"]
            return
        self.fields["school_class"].queryset = classes
        self.fields["status"].choices = [(value, label) for value, label in Student.Status.choices
                                         if value not in Student.LEFT_STATES]

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        if born >= timezone.localdate():
            raise forms.ValidationError(_("出生日期必须早于今天。"))
        return born


class StudentLeaveForm(forms.Form):
    """Leaving the city's schools (people.services.student_leave checks the date and the rest)."""

    status = forms.ChoiceField(label=_("离校方式"), widget=forms.RadioSelect, choices=[
        (value, label) for value, label in Student.Status.choices if value in Student.LEFT_STATES])
    on = forms.DateField(label=_("离校日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reason = forms.CharField(label=_("离校原因"), max_length=LEAVE_REASON_MAX,
                             help_text=_("例如：随父母迁居外省；初中毕业。会记在学生的在读记录中。"))
    confirm = forms.BooleanField(label=_("我已核实该生离校，确认办理"))
