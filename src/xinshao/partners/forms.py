"""Forms of agencies, contacts and agreements. Each shows its own errors next to the field; the
services check the rest and nothing is stored while anything is wrong."""
from django import forms
from django.utils.translation import gettext_lazy as _

from xinshao.core.uploads import PDF, checked_upload
from xinshao.org.models import PartnerAgency, Region, School
from xinshao.partners.models import Scope, ServiceAgreement

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgencyForm(forms.Form):
    name = forms.CharField(label=_("机构名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=PartnerAgency.Kind.choices)
    region = forms.ModelChoiceField(label=_("所属区域"), queryset=Region.objects.none(),
                                    help_text=_("市级机构选本市；街道、社区等选所在区县。"))
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions


class ContactForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    post = forms.CharField(label=_("职务"), max_length=50, required=False)
    phone = forms.CharField(label=_("电话"), max_length=30)
    email = forms.EmailField(label=_("电子邮箱"), max_length=100, required=False,
                             help_text=_("只有教育局和督查人员能看到。"))
    note = forms.CharField(label=_("备注（仅教育局可见）"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    is_primary = forms.BooleanField(label=_("主要联系人"), required=False,
                                    help_text=_("学校找这家机构时先联系的人；每家机构一位。"))


class AgreementForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("合作机构"), queryset=PartnerAgency.objects.none())
    title = forms.CharField(label=_("协议名称"), max_length=100)
    number = forms.CharField(label=_("协议编号"), max_length=50, required=False)
    schools = forms.ModelMultipleChoiceField(
        label=_("覆盖学校"), queryset=School.objects.none(), widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("一份协议可以覆盖多所学校（例如与一批学校共同签订的框架协议）。按住 Ctrl 或 ⌘ 可多选。"))
    scope = forms.MultipleChoiceField(label=_("服务内容"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)

    def __init__(self, *args, agencies, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["schools"].queryset = schools

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data

    @classmethod
    def initial_of(cls, agreement: ServiceAgreement) -> dict:
        return {"agency": agreement.agency_id, "title": agreement.title, "number": agreement.number,
                "schools": list(agreement.schools.values_list("pk", flat=True)), "scope": agreement.scope,
                "starts_on": agreement.starts_on, "ends_on": agreement.ends_on}


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("签署后的协议文本（PDF）"), allow_empty_file=True,
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}))

    def clean_file(self):
        return checked_upload(self.cleaned_data["file"], PDF)


class TerminateForm(forms.Form):
    reason = forms.CharField(label=_("提前终止的原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("例如机构停止提供这项服务、双方协商解除。终止后不能再向这家机构转介本协议覆盖的学校（紧急情况须写明原因）。"))
