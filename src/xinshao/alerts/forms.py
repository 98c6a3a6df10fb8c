from django import forms
from django.utils.translation import gettext_lazy as _

from xinshao.alerts import engine
from xinshao.alerts.concerns import Concern
from xinshao.alerts.models import Alert, Level, Source
from xinshao.alerts.reasons import RISK_WORDS, level_name
from xinshao.alerts.screening import short_name
from xinshao.core.templatetags.xinshao import localized
from xinshao.instruments.engine import UnknownInstrument
from xinshao.instruments.selectors import instrument_library
from xinshao.sentinel.models import ConcernLevel, Mood, Stress

STATE_FILTERS = [("open", _("未处理完")), ("new", _("待确认")), ("acknowledged", _("已确认")),
                 ("case_opened", _("已转个案")), ("closed", _("已关闭")), ("", _("全部"))]


class InboxFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), choices=STATE_FILTERS, required=False, initial="open")
    level = forms.ChoiceField(label=_("级别"), choices=[("", _("全部"))] + Level.choices, required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {"state": "open", "level": ""}
        state = self.cleaned_data["state"] if "state" in self.data else "open"
        return {"state": state, "level": self.cleaned_data["level"]}


class AlertActionForm(forms.Form):
    ACTIONS = ["acknowledge", "reassign", "close", "confirm_close", "decline_close"]

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    reason = forms.CharField(label=_("原因"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.IntegerField(label=_("负责人"), required=False)

    def __init__(self, *args, alert: Alert | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.alert = alert


class RulesForm(forms.Form):
    """A rule set as one fieldset per rule, labelled in the reader's language.

    The fields are the leaves of the rule data (engine.DEFAULT_RULES and whatever the sets shown
    hold, plus every band of each instrument graded), and `cleaned_data["rules"]` is that data
    again, so the engine reads what it always read. Given `city_rules` (a school's page), every
    value must be at least as strict as the city's, and a looser one is refused next to its field.
    """

    note = forms.CharField(label=_("修改说明"), max_length=200)

    def __init__(self, *args, rules: dict, city_rules: dict | None = None, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.city_rules = city_rules
        self.level_names = (city_rules or rules)["level_names"]
        self._paths: dict[str, tuple[str, ...]] = {}
        self._sections: dict[tuple[str, ...], list[str]] = {}
        self._library = library = instrument_library()
        for path in rule_paths(rules, city_rules or {}, library=library):
            if city_rules is not None and path[0] == "level_names":
                continue  # the city names the levels for everyone
            name = "__".join(path)
            field = self._field(path, library)
            field.initial = engine.value_at(rules, path)
            field.disabled = disabled
            self.fields[name] = field
            self._paths[name] = path
            self._sections.setdefault(_section(path), []).append(name)
        self.fields["note"].disabled = disabled
        self.order_fields([*self._paths, "note"])

    def _field(self, path: tuple[str, ...], library) -> forms.Field:
        label, optional = _leaf_label(path, library), _optional(path)
        key = path[-1]
        if path[0] == "level_names":
            return forms.CharField(label=label, max_length=20)
        if key in ("mood_at_most", "stress_at_least"):
            choices = Mood.choices if key == "mood_at_most" else Stress.choices
            return forms.TypedChoiceField(label=label, choices=choices, coerce=int)
        if engine.value_kind(path) != "level":
            return forms.IntegerField(label=label, required=not optional, min_value=0 if key == "raise_by" else 1,
                                      widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
        levels = [(level, level_name(self.level_names, level)) for level in engine.LEVELS]
        return forms.ChoiceField(label=label, required=not optional,
                                 choices=([("", _("不预警"))] if optional else []) + levels)

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(_section_title(section, self._library), [self[name] for name in names])
                for section, names in self._sections.items()]

    def clean(self):
        data = super().clean()
        rules: dict = {"level_names": dict(self.level_names)} if self.city_rules is not None else {}
        for name, path in self._paths.items():
            value = data.get(name)
            if value not in (None, ""):
                node = rules
                for part in path[:-1]:
                    node = node.setdefault(part, {})
                node[path[-1]] = value
        if self.city_rules is not None:
            for dotted in engine.looser_points(self.city_rules, rules):
                name = dotted.replace(".", "__")
                if name in self.fields and name not in self.errors:
                    city_value = self._shown(name, engine.value_at(self.city_rules, tuple(dotted.split("."))))
                    self.add_error(name, _("比全市规则（%(city)s）宽松：学校只能更严格，不能放宽。") % {"city": city_value})
        data["rules"] = rules
        return data

    def _shown(self, name: str, value) -> str:
        """A value as the field shows it: the choice's label, or the number."""
        return str(dict(getattr(self.fields[name], "choices", ())).get(value, value))


def rule_paths(*rule_sets: dict, library) -> list[tuple[str, ...]]:
    """Every leaf of the default rules and of the given sets, defaults first; a graded instrument
    brings all its bands in their order, so a band the city never graded can be switched on."""
    paths: dict[tuple[str, ...], None] = {}
    for rules in (engine.DEFAULT_RULES, *rule_sets):
        for path, _value in engine.leaves(rules):
            if path[0] == "screening_bands":
                bands = _bands(path[1], library)
                paths.update(dict.fromkeys(("screening_bands", path[1], band) for band, _label in bands))
            paths.setdefault(path)
    return list(paths)


# Absent leaves here mean "no alert for this": the engine reads them with .get().
_OPTIONAL_TABLES = {"screening_bands", "min_rise", "concerns", "concern", "risk"}


def _optional(path: tuple[str, ...]) -> bool:
    return path[-1] == "wants_talk" or any(part in _OPTIONAL_TABLES for part in path[:-1])


def _section(path: tuple[str, ...]) -> tuple[str, ...]:
    return path[:2] if path[0] in ("screening_bands", "sources") else path[:1]


_SECTION_TITLES = {
    "level_names": _("级别名称"),
    "critical_item": _("关键条目（如自伤、自杀念头）"),
    "worsening": _("两学期间测评分数上升"),
    "corroboration": _("多个渠道同时反映"),
    "ack_minutes": _("确认期限（分钟）：预警产生后负责人须在此时间内确认"),
    "escalate_after_minutes": _("逐级上报：每一级等待多少分钟无人处理后再上报"),
}
_LEAF_LABELS = {
    "critical_item": _("任一关键条目回答阳性时"),
    "level": _("预警级别"),
    "mood_at_most": _("心情为此项或更差时"),
    "stress_at_least": _("压力为此项或更大时"),
    "wants_talk": _("学生希望和心理老师聊聊时"),
    "urgent": _("标为紧急时"),
    "window_days": _("多少天内算同时（天）"),
    "raise_by": _("上调几级"),
}


def _section_title(section: tuple[str, ...], library) -> str:
    if section[0] == "screening_bands":
        return _("测评结果分级：%(instrument)s") % {"instrument": _instrument_name(section[1], library)}
    if section[0] == "sources":
        return str(dict(Source.choices).get(section[1], section[1]))
    return str(_SECTION_TITLES.get(section[0], section[0]))


def _leaf_label(path: tuple[str, ...], library) -> str:
    parent, key = (path[-2] if len(path) > 1 else None), path[-1]
    if path[0] in ("level_names", "ack_minutes", "escalate_after_minutes"):
        return str(dict(Level.choices).get(key, key))
    if path[0] == "screening_bands":
        return dict(_bands(path[1], library)).get(key, key)
    if parent == "min_rise":
        return _("%(instrument)s 至少上升（分）") % {"instrument": _instrument_name(key, library)}
    if parent == "concerns":
        return _("注意到：%(concern)s") % {"concern": dict(Concern.choices).get(key, key)}
    if parent == "concern":
        return _("记录为“%(level)s”时") % {"level": dict(ConcernLevel.choices).get(key, key)}
    if parent == "risk":
        return _("来电风险为“%(risk)s”时") % {"risk": RISK_WORDS.get(key, key)}
    return str(_LEAF_LABELS.get(key, key))


def _definition(instrument: str, library):
    try:
        return library.get(instrument)
    except UnknownInstrument:
        return None


def _instrument_name(instrument: str, library) -> str:
    definition = _definition(instrument, library)
    return short_name(definition) if definition else instrument.upper()


def _bands(instrument: str, library) -> list[tuple[str, str]]:
    """(id, label) of the bands of an instrument's primary score, in order; none when unknown."""
    definition = _definition(instrument, library)
    primary = next((s for s in definition.scores if s.id == definition.primary_score and s.bands), None) \
        if definition else None
    if primary is None:
        return []
    return [(band.id, localized(band.label)) for band in primary.bands.ranges + primary.bands.override_bands]
