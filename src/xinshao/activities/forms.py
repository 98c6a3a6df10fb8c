"""Forms of activities entering campus. Each shows its own errors next to the field."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinshao.activities.models import Application, Refusal
from xinshao.core.uploads import PDF, checked_upload
from xinshao.org.models import School, Term

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplicationForm(forms.Form):
    title = forms.CharField(label=_("活动名称"), max_length=100)
    kind = forms.ChoiceField(label=_("活动类型"), choices=Application.Kind.choices)
    purpose = forms.CharField(label=_("活动目的和内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("写清楚活动做什么、面向哪些年级、与学生有什么关系。"))
    schools = forms.ModelMultipleChoiceField(label=_("进入的学校"), queryset=School.objects.none(),
                                             widget=forms.CheckboxSelectMultiple)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)
    participants = forms.IntegerField(label=_("预计参与学生人数"), min_value=0, max_value=100000)
    teacher_hours = forms.DecimalField(label=_("需要教师配合的时间（小时）"), min_value=0, max_value=9999,
                                       decimal_places=1, help_text=_("组织、陪同、填写材料等占用教师的总时间。"))
    contact_person = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = schools

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data


class MaterialForm(forms.Form):
    file = forms.FileField(label=_("活动材料"), allow_empty_file=True,
                           help_text=_("PDF 文件：活动方案、讲稿、问卷、主讲人资质等。"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}))

    def clean_file(self):
        return checked_upload(self.cleaned_data["file"], PDF)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("审批结果"), choices=[("approve", _("批准")), ("reject", _("不予批准"))],
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label=_("审批意见"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("不予批准时必须写明原因，申报单位会看到。"))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("不予批准时请写明原因，申报单位才知道问题在哪里。"))
        return data


class RegisterForm(forms.Form):
    q = forms.CharField(label=_("单位名称、活动名称或备案编号"), max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    on = forms.DateField(label=_("活动日期"), widget=DATE, required=False, help_text=_("不填即为今天。"))


class RefusalForm(forms.Form):
    school = forms.ModelChoiceField(label=_("学校"), queryset=School.objects.none())
    body_name = forms.CharField(label=_("来访单位"), max_length=100)
    activity = forms.CharField(label=_("活动内容"), max_length=200)
    happened_on = forms.DateField(label=_("日期"), widget=DATE)
    ground = forms.ChoiceField(label=_("拒绝原因"), choices=Refusal.Ground.choices, widget=forms.RadioSelect)
    approval_number = forms.CharField(label=_("对方出示的备案编号"), max_length=20, required=False,
                                      help_text=_("超出审批范围时填写，例如 MZ-JX-2026-0012。"))
    note = forms.CharField(label=_("说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        if schools.count() == 1:
            self.fields["school"].initial = schools.first()
            self.fields["school"].widget = forms.HiddenInput()
        if not self.is_bound:
            self.initial.setdefault("happened_on", timezone.localdate())

    def clean_approval_number(self):
        number = self.cleaned_data["approval_number"].strip().upper()
        if number and not Application.objects.filter(approval_number=number).exists():
            raise forms.ValidationError(_("没有这个备案编号，请核对。"))
        return number

    def application(self) -> Application | None:
        number = self.cleaned_data.get("approval_number")
        return Application.objects.filter(approval_number=number).first() if number else None


class TermForm(forms.Form):
    term = forms.ModelChoiceField(label=_("学期"), queryset=Term.objects.order_by("-starts_on"), required=False,
                                  empty_label=None)
