from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinshao.org.models import SchoolClass
from xinshao.people.models import Student


class StudentSearchForm(forms.Form):
    q = forms.CharField(label=_("姓名或学号"), required=False, max_length=50)
    school_class = forms.ModelChoiceField(label=_("班级"), queryset=SchoolClass.objects.none(), required=False,
                                          empty_label=_("全部班级"))

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = classes


class StudentEditForm(forms.ModelForm):
    """Editing a roster entry. The class list holds only the student's own school's classes,
    so a class of another school cannot be chosen even by a forged form."""

    class Meta:
        model = Student
        fields = ["name", "gender", "birth_date", "school_class", "status"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = classes

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        if born >= timezone.localdate():
            raise forms.ValidationError(_("出生日期必须早于今天。"))
        return born
