from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinshao.access import scopes
from xinshao.accounts.models import User
from xinshao.accounts.roles import Role
from xinshao.compliance.models import DataKind, IncidentEvent


class AccessRequestForm(forms.Form):
    username = forms.CharField(label=_("授权对象的用户名"), max_length=150)
    role = forms.ChoiceField(label=_("角色"))
    region = forms.ModelChoiceField(label=_("区域（教育局、心理中心、热线的角色）"), queryset=None, required=False)
    school = forms.ModelChoiceField(label=_("学校（学校管理员、心理教师）"), queryset=None, required=False)
    school_class = forms.ModelChoiceField(label=_("班级（班主任）"), queryset=None, required=False)
    agency = forms.ModelChoiceField(label=_("合作机构（机构医生）"), queryset=None, required=False)
    reason = forms.CharField(label=_("申请理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, requester, **kwargs):
        super().__init__(*args, **kwargs)
        roles = scopes.requestable_roles_for(requester)
        self.fields["role"].choices = [(value, label) for value, label in Role.choices if value in roles]
        self.fields["region"].queryset = scopes.request_regions_for(requester)
        self.fields["school"].queryset = scopes.request_schools_for(requester)
        self.fields["school_class"].queryset = scopes.request_classes_for(requester)
        self.fields["agency"].queryset = scopes.request_agencies_for(requester)
        for name in ("region", "agency"):
            if not self.fields[name].queryset.exists():
                del self.fields[name]

    def clean_username(self):
        user = User.objects.filter(username=self.cleaned_data["username"].strip()).first()
        if user is None:
            raise forms.ValidationError(_("没有这个用户名的账号，请核对。"))
        return user

    def unit(self):
        """The unit the chosen role is scoped to (the service checks it is the right kind)."""
        from xinshao.accounts.roles import SCOPE_FIELD

        return self.cleaned_data.get(SCOPE_FIELD.get(self.cleaned_data["role"], ""))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    region = forms.ModelChoiceField(label=_("区域"), queryset=None, empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = scopes.compliance_report_regions(user)
        self.fields["year"].initial = timezone.localdate().year


class IncidentForm(forms.Form):
    region = forms.ModelChoiceField(label=_("区域"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("事件名称"), max_length=200)
    description = forms.CharField(label=_("经过（发生了什么、怎么发现的）"), widget=forms.Textarea(attrs={"rows": 4}),
                                  max_length=5000)
    discovered_at = forms.DateTimeField(label=_("发现时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    affected_count = forms.IntegerField(label=_("涉及学生人数"), min_value=0)
    student_numbers = forms.CharField(label=_("涉及学生的学号（可选，每行一个）"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    data_kinds = forms.MultipleChoiceField(label=_("涉及的信息种类"), choices=DataKind.choices,
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["region"].queryset = scopes.request_regions_for(user)

    def clean(self):
        cleaned = super().clean()
        numbers = [n.strip() for n in (cleaned.get("student_numbers") or "").split() if n.strip()]
        region = cleaned.get("region")
        if region is not None:
            students = list(scopes.students_audit_searchable_by(self.user).filter(
                school__district_id__in=scopes.region_subtree_ids({region.pk}), student_number__in=numbers))
            missing = sorted(set(numbers) - {s.student_number for s in students})
            if missing:
                self.add_error("student_numbers", _("本区域找不到这些学号：%(numbers)s") % {"numbers": "、".join(missing)})
            cleaned["students"] = students
        return cleaned


class IncidentActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("处置"), choices=[
        (kind, label) for kind, label in IncidentEvent.Kind.choices
        if kind not in (IncidentEvent.Kind.REPORTED, IncidentEvent.Kind.OVERDUE_NOTIFIED)])
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)
