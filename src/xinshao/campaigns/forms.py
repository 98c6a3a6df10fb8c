"""Forms of the staff side: a new campaign, a change of its state, consent decisions.

A form turns what was typed into the services' arguments (BatteryChoice, TargetChoice) and says
plainly what is wrong; the services check the rest and nothing is saved when any check fails.
"""
import datetime
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from xinshao.access import scopes
from xinshao.campaigns.models import Campaign, ConsentRecord
from xinshao.campaigns.services import BatteryChoice, TargetChoice
from xinshao.org.grades import LEVEL_CHOICES, SCHOOL_KIND_LEVELS
from xinshao.org.models import School, SchoolClass, Term

_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _number_field(instrument_id: str, label, initial, *, min_value: int) -> forms.IntegerField:
    # Many rows share the column headings; a screen reader hears which instrument a box belongs to.
    widget = forms.NumberInput(attrs={"aria-label": format_lazy("{} {}", instrument_id.upper(), label),
                                      "style": "width: 5rem"})
    return forms.IntegerField(label=label, initial=initial, min_value=min_value, max_value=99, required=False,
                              widget=widget)


def _current_term():
    today = timezone.localdate()
    return Term.objects.filter(starts_on__lte=today, ends_on__gte=today).first() or Term.objects.first()


@dataclass(frozen=True)
class InstrumentRow:
    """One library instrument offered for the battery, with its form fields."""

    definition: object
    use: forms.BoundField
    order: forms.BoundField
    min_age: forms.BoundField
    max_age: forms.BoundField


@dataclass(frozen=True)
class _Picked:
    """The respondents picked on the form: schools (or all of the region's), grade levels, classes."""

    all_schools: bool
    schools: list
    levels: list
    classes: list


class CampaignForm(forms.Form):
    """A new campaign: owner, audience, window, respondents, battery, consent and feedback."""

    name = forms.CharField(label=_("名称"), max_length=100)
    owner = forms.ChoiceField(label=_("发起单位"))
    audience = forms.ChoiceField(label=_("对象"), choices=Campaign.Audience.choices, widget=forms.RadioSelect,
                                 initial=Campaign.Audience.STUDENTS)
    term = forms.ModelChoiceField(label=_("学期"), queryset=Term.objects.all())
    opens_at = forms.DateTimeField(label=_("开始时间"), widget=_DATETIME)
    closes_at = forms.DateTimeField(label=_("结束时间"), widget=_DATETIME)
    consent_rule = forms.ChoiceField(label=_("知情同意"), choices=Campaign.ConsentRule.choices, widget=forms.RadioSelect,
                                     initial=Campaign.ConsentRule.OPT_OUT,
                                     help_text=_("教师测评无需监护人同意。"))
    feedback = forms.ChoiceField(label=_("结束后显示"), choices=Campaign.Feedback.choices, widget=forms.RadioSelect,
                                 initial=Campaign.Feedback.THANKS)
    instructions = forms.CharField(label=_("给答题人的说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    all_schools = forms.BooleanField(label=_("本区域全部学校"), required=False)
    schools = forms.ModelMultipleChoiceField(label=_("学校"), queryset=School.objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple)
    levels = forms.MultipleChoiceField(label=_("年级"), choices=LEVEL_CHOICES, required=False,
                                       widget=forms.CheckboxSelectMultiple,
                                       help_text=_("不选年级即面向所选学校的全部学生。"))
    classes = forms.ModelMultipleChoiceField(label=_("班级"), queryset=SchoolClass.objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple,
                                             help_text=_("选了班级就只面向这些班级。"))

    def __init__(self, *args, user, library, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = list(scopes.regions_for_new_campaigns(user))
        self.own_schools = list(scopes.schools_for_new_campaigns(user))
        self.fields["owner"].choices = [(f"region-{r.pk}", r.name) for r in self.regions] + [
            (f"school-{s.pk}", s.name) for s in self.own_schools
        ]
        self.fields["schools"].queryset = scopes.schools_visible_to(user).filter(is_active=True).order_by("code")
        self.fields["classes"].queryset = scopes.classes_visible_to(user).filter(school__in=self.own_schools)
        kinds = set(self.fields["schools"].queryset.values_list("kind", flat=True)) | {s.kind for s in self.own_schools}
        self.fields["levels"].choices = [(code, name) for code, name in LEVEL_CHOICES
                                         if any(code in SCHOOL_KIND_LEVELS[kind] for kind in kinds)]
        self.fields["term"].initial = _current_term()
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["opens_at"].initial = now
        self.fields["closes_at"].initial = now + datetime.timedelta(days=14)
        self.definitions = _newest_definitions(library)
        for definition in self.definitions:
            self._add_instrument_fields(definition)

    def _add_instrument_fields(self, definition) -> None:
        ages = definition.data.get("age_range") or {}
        key = definition.id
        self.fields[f"use_{key}"] = forms.BooleanField(label=definition.id, required=False)
        self.fields[f"order_{key}"] = _number_field(key, _("顺序"), None, min_value=1)
        self.fields[f"min_age_{key}"] = _number_field(key, _("最小年龄"), ages.get("min"), min_value=3)
        self.fields[f"max_age_{key}"] = _number_field(key, _("最大年龄"), ages.get("max"), min_value=3)

    @property
    def offers_schools(self) -> bool:
        return bool(self.regions)

    @property
    def offers_classes(self) -> bool:
        return bool(self.own_schools)

    def basic_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("name", "owner", "term", "opens_at", "closes_at", "instructions")]

    def instrument_rows(self) -> list[InstrumentRow]:
        return [InstrumentRow(d, self[f"use_{d.id}"], self[f"order_{d.id}"], self[f"min_age_{d.id}"],
                              self[f"max_age_{d.id}"]) for d in self.definitions]

    def clean(self):
        data = super().clean()
        closes_at = data.get("closes_at")
        if data.get("opens_at") and closes_at and closes_at <= data["opens_at"]:
            self.add_error("closes_at", _("结束时间必须晚于开始时间。"))
        if closes_at and closes_at <= timezone.now():
            self.add_error("closes_at", _("结束时间必须在将来。"))
        data["battery"] = self._battery()
        if data.get("audience") == Campaign.Audience.TEACHERS:
            data["consent_rule"] = Campaign.ConsentRule.NOT_REQUIRED  # adults answer for themselves
        if all(name in data for name in ("owner", "audience", "all_schools", "schools", "levels", "classes")):
            data["targets"] = self._targets(data)
        return data

    def _battery(self) -> list[BatteryChoice]:
        """The ticked instruments: numbered ones first by their number, the rest in library order."""
        data, chosen = self.cleaned_data, []
        for position, definition in enumerate(self.definitions):
            key = definition.id
            if data.get(f"use_{key}"):
                order = data.get(f"order_{key}")
                choice = BatteryChoice(key, min_age=data.get(f"min_age_{key}"), max_age=data.get(f"max_age_{key}"))
                chosen.append(((order is None, order or 0, position), choice))
        if not chosen:
            self.add_error(None, _("至少选择一个量表。"))
        return [choice for _key, choice in sorted(chosen, key=lambda c: c[0])]

    def _owner(self, value: str):
        kind, pk = value.split("-")
        owners = self.regions if kind == "region" else self.own_schools
        return kind, next(owner for owner in owners if str(owner.pk) == pk)

    def _targets(self, data) -> list[TargetChoice]:
        kind, owner = self._owner(data["owner"])
        data["region"], data["school"] = (owner, None) if kind == "region" else (None, owner)
        # Copied out first: add_error() removes a field's value from cleaned_data.
        picked = _Picked(data["all_schools"], list(data["schools"]), list(data["levels"]), list(data["classes"]))
        if data["audience"] == Campaign.Audience.TEACHERS and (picked.levels or picked.classes):
            self.add_error("levels", _("教师测评按学校选择对象，不选年级和班级。"))
            return []
        if kind == "school":
            return self._school_targets(owner, picked)
        return self._region_targets(picked)

    def _school_targets(self, school, picked: "_Picked") -> list[TargetChoice]:
        if picked.all_schools or picked.schools:
            self.add_error("schools", _("学校发起的测评只面向本校。"))
        if picked.classes:
            if any(c.school_id != school.pk for c in picked.classes):
                self.add_error("classes", _("只能选择本校的班级。"))
            return [TargetChoice(school=school, school_class=c) for c in picked.classes]
        if any(not school.teaches(level) for level in picked.levels):
            self.add_error("levels", _("本校没有所选的年级。"))
        return [TargetChoice(school=school, level=level) for level in picked.levels] or [TargetChoice(school=school)]

    def _region_targets(self, picked: "_Picked") -> list[TargetChoice]:
        if picked.classes:
            self.add_error("classes", _("全市测评按学校和年级选择对象，不选班级。"))
        schools = list(self.fields["schools"].queryset) if picked.all_schools else picked.schools
        if not schools:
            self.add_error("schools", _("请选择学校，或勾选本区域全部学校。"))
            return []
        if not picked.levels:
            return [TargetChoice(school=school) for school in schools]
        targets = [TargetChoice(school=s, level=level) for s in schools for level in picked.levels if s.teaches(level)]
        # Across all schools a primary school simply has no junior grades; a school picked by name must have them.
        lacking = [s.name for s in picked.schools if not any(s.teaches(level) for level in picked.levels)]
        if lacking:
            self.add_error("levels", _("这些学校没有所选的年级：%(names)s") % {"names": "、".join(lacking)})
        elif not targets:
            self.add_error("levels", _("没有学校开设所选的年级。"))
        return targets

    def campaign_arguments(self) -> dict:
        """Keyword arguments for services.campaign_create."""
        names = ("name", "audience", "term", "opens_at", "closes_at", "consent_rule", "feedback", "instructions",
                 "battery", "targets", "region", "school")
        return {name: self.cleaned_data[name] for name in names}


def _newest_definitions(library) -> list:
    newest = {}
    for definition in library:  # sorted by id and version: the last one seen is the newest
        newest[definition.id] = definition
    return list(newest.values())


class CampaignChangeForm(forms.Form):
    """Open, pause, resume, extend or close, with an optional reason kept in the event."""

    ACTIONS = [("open", _("开始")), ("pause", _("暂停")), ("resume", _("继续")), ("extend", _("延长")), ("close", _("结束"))]
    action = forms.ChoiceField(choices=ACTIONS)
    closes_at = forms.DateTimeField(label=_("新的结束时间"), required=False, widget=_DATETIME)
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == "extend" and not data.get("closes_at"):
            self.add_error("closes_at", _("请填写新的结束时间。"))
        return data


class ConsentSheetForm(forms.Form):
    """Decisions from a class's paper slips: one choice per student, blank for no change."""

    note = forms.CharField(label=_("依据"), max_length=200, required=False, initial=_("纸质回执"))

    def __init__(self, *args, students, **kwargs):
        super().__init__(*args, **kwargs)
        self.students = list(students)
        choices = [("", _("不变"))] + list(ConsentRecord.Decision.choices)
        for student in self.students:
            self.fields[f"student_{student.pk}"] = forms.ChoiceField(label=student.name, choices=choices, required=False)

    def decisions(self) -> dict:
        return {s: self.cleaned_data[f"student_{s.pk}"] for s in self.students if self.cleaned_data[f"student_{s.pk}"]}

    def clean(self):
        data = super().clean()
        if not self.errors and not self.decisions():
            self.add_error(None, _("没有选择任何学生的决定。"))
        return data


class FamilyConsentForm(forms.Form):
    campaign = forms.IntegerField()
    student = forms.IntegerField()
    decision = forms.ChoiceField(choices=ConsentRecord.Decision.choices)


class ProgressSchoolForm(forms.Form):
    """Which school's grades and classes to show; none for the overview of all schools."""

    school = forms.ModelChoiceField(queryset=School.objects.none(), required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class ConsentClassForm(forms.Form):
    """Which class's paper slips to record; none for the summary of all classes."""

    school_class = forms.ModelChoiceField(queryset=SchoolClass.objects.none(), required=False)

    def __init__(self, *args, classes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = classes
