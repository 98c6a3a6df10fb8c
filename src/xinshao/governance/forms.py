"""Forms of inspections and rectification. Each shows its own errors next to the field."""
import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinshao.accounts.models import User
from xinshao.accounts.roles import Role
from xinshao.core.uploads import RECORDS, checked_upload
from xinshao.governance.models import Checklist, InspectionPlan, Result
from xinshao.org.grades import SCHOOL_KIND_CHOICES
from xinshao.org.models import Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ChecklistForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    description = forms.CharField(label=_("说明"), max_length=300, required=False)


class ChecklistItemForm(forms.Form):
    category = forms.CharField(label=_("类别"), max_length=50)
    text = forms.CharField(label=_("督查内容"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    evidence_required = forms.BooleanField(label=_("须提供佐证材料"), required=False)


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("名称"), max_length=100)


class RoundForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("督查计划"), queryset=InspectionPlan.objects.all())
    name = forms.CharField(label=_("轮次名称"), max_length=100)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)
    checklist = forms.ModelChoiceField(label=_("督查清单"), queryset=Checklist.objects.all(),
                                       help_text=_("清单条目会复制到本轮；之后修改清单不会影响本轮。"))
    district = forms.ModelChoiceField(label=_("区县"), queryset=Region.objects.none(), required=False,
                                      empty_label=_("全部区县"))
    kind = forms.ChoiceField(label=_("学校类型"), choices=[("", _("全部类型")), *SCHOOL_KIND_CHOICES], required=False)
    inspectors = forms.ModelMultipleChoiceField(label=_("督查员"), queryset=User.objects.none(),
                                                widget=forms.CheckboxSelectMultiple,
                                                help_text=_("学校按代码顺序轮流分给所选督查员。"))

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = regions.filter(kind__in=[Region.Kind.DISTRICT, Region.Kind.COUNTY])
        self.fields["inspectors"].queryset = User.objects.filter(
            is_active=True, role_assignments__is_active=True, role_assignments__role=Role.INSPECTOR).distinct()

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data


class RoundStateForm(forms.Form):
    to = forms.ChoiceField(choices=[("in_progress", ""), ("closed", "")])


class FindingsForm(forms.Form):
    """One result and note per round item, and the date the visit was completed."""

    completed_on = forms.DateField(label=_("完成日期"), required=False, widget=DATE,
                                   help_text=_("全部条目都填好后，填写完成日期即完成本次督查。"))

    def __init__(self, *args, items, findings, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        by_item = {finding.item_id: finding for finding in findings}
        for item in self.items:
            finding = by_item.get(item.pk)
            self.fields[f"result_{item.pk}"] = forms.ChoiceField(
                label=f"{item.position}. {item.text}", choices=Result.choices, required=False,
                widget=forms.RadioSelect, initial=finding.result if finding else None)
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=_("说明"), max_length=1000, required=False, initial=finding.note if finding else "",
                widget=forms.Textarea(attrs={"rows": 2}))

    def rows(self):
        return [(item, self[f"result_{item.pk}"], self[f"note_{item.pk}"]) for item in self.items]

    def results(self) -> dict[int, tuple[str, str]]:
        return {item.pk: (self.cleaned_data[f"result_{item.pk}"], self.cleaned_data[f"note_{item.pk}"])
                for item in self.items if self.cleaned_data.get(f"result_{item.pk}")}

    def clean(self):
        data = super().clean()
        for item in self.items:
            if data.get(f"note_{item.pk}") and not data.get(f"result_{item.pk}"):
                self.add_error(f"result_{item.pk}", _("写了说明，也请选择结果。"))
        return data


class RectificationForm(forms.Form):
    requirement = forms.CharField(label=_("整改要求"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("写清楚需要改变什么、做到什么程度。"))
    deadline = forms.DateField(label=_("整改期限"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("deadline", timezone.localdate() + datetime.timedelta(days=30))


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("整改材料"), allow_empty_file=True,
        help_text=_("PDF、JPG、PNG、Word（.docx）或 Excel（.xlsx）文件。"),
        widget=forms.ClearableFileInput(attrs={"accept": RECORDS.accept}))

    def clean_file(self):
        return checked_upload(self.cleaned_data["file"], RECORDS)


class SubmitForm(forms.Form):
    note = forms.CharField(label=_("整改说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("说明做了哪些改变；审核人会和上传的材料一起查看。"))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核结果"), choices=[("accept", _("通过")), ("return", _("退回"))],
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label=_("退回原因"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("退回时请写明原因，学校才知道要改什么。"))
        return data
