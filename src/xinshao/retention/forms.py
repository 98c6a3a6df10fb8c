from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Action


class PolicyForm(forms.Form):
    months = forms.IntegerField(label=_("保存期限（月）"), min_value=1)
    action = forms.ChoiceField(label=_("到期处理"))
    reason = forms.CharField(label=_("修改原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(action, Action(action).label) for action in kind.actions]


class RunForm(forms.Form):
    mode = forms.ChoiceField(choices=[("dry", _("预览（只统计，不改动）")), ("run", _("立即执行"))])


class CopyRequestForm(forms.Form):
    student = forms.ModelChoiceField(label=_("学生"), queryset=None, empty_label=None)
    note = forms.CharField(label=_("说明（书面申请请写明申请人和收到日期）"), max_length=300, required=False)

    def __init__(self, *args, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = students
