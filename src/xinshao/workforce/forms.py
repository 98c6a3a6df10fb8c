"""Forms of the workforce pages. Each shows its own errors next to the field."""
from django import forms
from django.utils.translation import gettext_lazy as _

from xinshao.rosters.forms import RosterUploadForm
from xinshao.workforce.models import CertificateKind, Designation, Employment, Post

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TargetsForm(forms.Form):
    full_time_per_thousand = forms.DecimalField(label=_("每千名学生专职心理教师（人）"), min_value=0, max_value=50,
                                                decimal_places=2)
    min_full_time_per_school = forms.IntegerField(label=_("每校至少专职心理教师（人）"), min_value=0, max_value=20)
    certification_kind = forms.ModelChoiceField(label=_("持证率统计的证书"), queryset=CertificateKind.objects.all(),
                                                required=False, empty_label=_("自动：要求持证的最低级别证书"))
    certification_baseline = forms.DecimalField(label=_("持证率基线（%）"), min_value=0, max_value=100,
                                                decimal_places=1)
    certification_target = forms.DecimalField(label=_("持证率目标（%）"), min_value=0, max_value=100, decimal_places=1)
    yearly_trainees = forms.IntegerField(label=_("每年培训人数目标"), min_value=0, max_value=1000000)


class CertificateKindForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=60)
    level = forms.IntegerField(label=_("级别"), min_value=1, max_value=9,
                               help_text=_("数字越大级别越高：C证 1，B证 2，A证 3。持有更高级别的有效证书，也算持有较低级别的证书。"))
    validity_years = forms.IntegerField(label=_("有效期（年）"), min_value=1, max_value=20)
    required_of = forms.ChoiceField(label=_("要求持证的岗位"), choices=CertificateKind.RequiredOf.choices)


class StaffForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    post = forms.ChoiceField(label=_("岗位"), choices=Post.choices, widget=forms.RadioSelect)
    employment = forms.ChoiceField(label=_("专职/兼职"), choices=Employment.choices, widget=forms.RadioSelect,
                                   help_text=_("只对心理教师统计。"), initial=Employment.PART_TIME)
    psychology_degree = forms.BooleanField(label=_("心理学相关专业学历"), required=False)
    is_active = forms.BooleanField(label=_("在岗"), required=False, initial=True,
                                   help_text=_("调离或退休的老师取消勾选：不再计入配备和持证率。"))


class CertificateForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("证书"), queryset=CertificateKind.objects.all())
    number = forms.CharField(label=_("证书编号"), max_length=40)
    issued_on = forms.DateField(label=_("发证日期"), widget=DATE)
    expires_on = forms.DateField(label=_("有效期至"), widget=DATE, required=False,
                                 help_text=_("不填时按证书类别的有效期计算。"))


class TrainingForm(forms.Form):
    name = forms.CharField(label=_("培训名称"), max_length=100)
    grants = forms.ModelChoiceField(label=_("结业颁发证书"), queryset=CertificateKind.objects.all(), required=False,
                                    empty_label=_("不颁发证书"))
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=100)
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=5000)
    hours = forms.DecimalField(label=_("学时"), min_value=0.5, max_value=500, decimal_places=1)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data


class EnrolForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("报名的老师"), queryset=None)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda member: f"{member.school.name} · {member.name}"


class EnrolmentForm(forms.Form):
    attended_hours = forms.DecimalField(label=_("出勤学时"), min_value=0, decimal_places=1)
    complete = forms.BooleanField(label=_("结业"), required=False)
    number = forms.CharField(label=_("证书编号"), max_length=40, required=False,
                             help_text=_("结业发证时使用；不填时系统自动编号。"))


class DesignationForm(forms.Form):
    school = forms.ModelChoiceField(label=_("学校"), queryset=None)
    kind = forms.ChoiceField(label=_("类别"), choices=Designation.Kind.choices)
    level = forms.ChoiceField(label=_("级别"), choices=Designation.Level.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    awarded_by = forms.CharField(label=_("授予单位"), max_length=100, required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class TrainingFileForm(RosterUploadForm):
    """The roster upload's file field and checks, for a training records file (always applied when clean)."""

    dry_run = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("培训记录文件")
