"""The individual plan's form: each save becomes a new version."""
from django import forms
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.Form):
    goals = forms.CharField(label=_("目标"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
                            help_text=_("这一阶段希望学生达到的状态，尽量具体、可观察。"))
    supports = forms.CharField(label=_("支持措施"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
                               help_text=_("学校、家庭和校外机构提供的支持。"))
    tasks = forms.CharField(label=_("分工"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
                            help_text=_("每行一条：负责人：任务，例如“班主任：每周与学生谈一次”。"))
    review_on = forms.DateField(label=_("复评日期"), widget=DATE)
    reason = forms.CharField(label=_("修改原因"), max_length=300, required=False,
                             help_text=_("修改已有计划时必填，会记在这个版本上。"))
