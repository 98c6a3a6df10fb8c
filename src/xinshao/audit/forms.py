from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditSearchForm(forms.Form):
    student = forms.CharField(label=_("学生姓名或学号"), max_length=50, required=False)
    username = forms.CharField(label=_("查看人用户名"), max_length=150, required=False)
    since = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("截止日期（含）"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if not data.get("student") and not data.get("username"):
            raise forms.ValidationError(_("请填写学生或查看人，至少一项。"))
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("截止日期不能早于起始日期。"))
        return data

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """The date range as [start of `since`, start of the day after `until`) in local time."""
        def start(day):
            return timezone.make_aware(datetime.combine(day, time.min)) if day else None
        until = self.cleaned_data.get("until")
        return start(self.cleaned_data.get("since")), start(until + timedelta(days=1) if until else None)
