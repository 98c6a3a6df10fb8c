"""The dashboards' filters: term, a term to compare with, district, school kind, instrument."""
import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from xinshao.org.grades import SCHOOL_KIND_CHOICES
from xinshao.org.models import Region, Term


class DashboardFilterForm(forms.Form):
    term = forms.ModelChoiceField(Term.objects.order_by("-starts_on"), label=_("学期"), required=False,
                                  empty_label=_("当前学期"))
    compare = forms.ModelChoiceField(Term.objects.order_by("-starts_on"), label=_("对比学期"), required=False,
                                     empty_label=_("不对比"))
    district = forms.ModelChoiceField(Region.objects.none(), label=_("区县"), required=False,
                                      empty_label=_("全部区县"))
    kind = forms.ChoiceField(label=_("学校类型"), required=False,
                             choices=[("", _("全部类型")), *SCHOOL_KIND_CHOICES])
    instrument = forms.CharField(label=_("量表"), required=False, max_length=40,
                                 widget=forms.TextInput(attrs={"list": "instruments", "size": 8}))

    def __init__(self, data=None, *, districts=None, term_only=False, **kwargs):
        """`districts` to choose from (the city's dashboard); `term_only` for a class's view."""
        super().__init__(data, **kwargs)
        dropped = ["compare", "instrument"] if term_only else []
        if districts is None:
            dropped += ["district", "kind"]
        else:
            self.fields["district"].queryset = districts
        for name in dropped:
            del self.fields[name]


def current_term(today: datetime.date) -> Term | None:
    """The term running today, else the latest one that has started, else the first one."""
    terms = Term.objects.order_by("-starts_on")
    return (terms.filter(starts_on__lte=today, ends_on__gte=today).first()
            or terms.filter(starts_on__lte=today).first() or terms.last())
