"""The engine's reasons in words people read, in the language of the page.

A signal keeps its reasons as codes and values (`facts["reasons"]`) and, for the record, the
words in the default language (`Signal.reason`); pages word them again in the reader's language.
"""
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext, pgettext_lazy

from xinshao.alerts.concerns import Concern
from xinshao.alerts.engine import DEFAULT_RULES, Reason
from xinshao.core.templatetags.xinshao import localized
from xinshao.instruments.selectors import band_labels, result_definition

_CONCERN_WORDS = {"none": pgettext_lazy("concern", "没有担心"), "some": pgettext_lazy("concern", "有些担心"),
                  "serious": pgettext_lazy("concern", "非常担心")}
RISK_WORDS = {"low": pgettext_lazy("hotline risk", "低"), "medium": pgettext_lazy("hotline risk", "中"),
               "high": pgettext_lazy("hotline risk", "高"), "imminent": pgettext_lazy("hotline risk", "紧急")}


def _concern_labels(keys: list[str]) -> str:
    labels = dict(Concern.choices)
    return list_separator().join(str(labels.get(key, key)) for key in keys)


def _definition(facts: dict):
    """The definition the result was scored with, from the signal's facts (screening results name
    the instrument and version); None for other signals or an instrument no longer in the library."""
    if not isinstance(facts.get("instrument"), str):
        return None
    return result_definition(instrument_id=facts["instrument"], version=facts.get("version"))


def _band_label(definition, band_id) -> str | None:
    labels = band_labels(definition, band_id)
    return localized(labels) if labels else None


def _flag_band_label(definition, flag_id: str) -> str | None:
    """The band whose reaching raised this flag (ASQ: acute positive), for a flag on no item."""
    for entry in (*definition.scores, *definition.transformed):
        for band in (*entry.bands.ranges, *entry.bands.override_bands) if entry.bands else ():
            if band.flag and band.flag.id == flag_id:
                return localized(band.label)
    return None


def _answer_words(item, answer, flag_id: str) -> str:
    if answer is None:
        if flag_id.endswith("_unanswered"):
            return _("未作答，需当天当面询问")
        return _("未作答，按拒答计为阳性")
    label = next((option.label for option in item.options if option.value == answer), None) if item else None
    if label is not None:
        return localized(label)
    return _("无法识别的回答（%(answer)s）") % {"answer": answer}


def _critical_worded(v: dict, facts: dict) -> str:
    """A critical answer as a psych teacher reads it: the question (its short label) and the answer's label."""
    definition = _definition(facts)
    number, flag_id = v.get("item"), v.get("flag") or ""
    item = definition.items[number - 1] if definition and isinstance(number, int) and \
        0 < number <= len(definition.items) else None
    if item is not None:
        return _("%(instrument)s“%(question)s”：%(answer)s") % {
            "instrument": v["instrument"], "question": localized(item.label or item.text),
            "answer": _answer_words(item, v.get("answer"), flag_id)}
    band = _flag_band_label(definition, flag_id) if definition and number is None else None
    if band:
        return _("%(instrument)s：%(band)s") % {"instrument": v["instrument"], "band": band}
    if isinstance(number, int):  # the instrument is no longer in the library: its number is all there is
        return _("%(instrument)s 第 %(item)s 题：%(answer)s（关键条目）") % {
            "instrument": v["instrument"], "item": number, "answer": _answer_words(None, v.get("answer"), flag_id)}
    return _("%(instrument)s：关键条目阳性") % {"instrument": v["instrument"]}


def _worded(code: str, v: dict, facts: dict) -> str:
    if code == "band":
        definition = _definition(facts)
        band = (_band_label(definition, v["band"]) if definition else None) or v.get("band_label") or v["band"]
        return _("%(instrument)s %(total)s 分，%(band)s") % {"instrument": v["instrument"], "total": v["total"], "band": band}
    if code == "critical_item":
        return _critical_worded(v, facts)
    if code == "worsening":
        return _("%(instrument)s 由 %(previous)s 分升至 %(total)s 分（上升 %(rise)s 分）") % v
    if code == "concerns":
        return _("注意到：%(concerns)s") % {"concerns": _concern_labels(v["concerns"])}
    if code == "low_mood":
        return _("自评心情很差")
    if code == "high_stress":
        return _("自评压力很大")
    if code == "wants_talk":
        return _("希望和心理老师聊聊")
    if code == "record_concern":
        return _("记录人%(concern)s") % {"concern": _CONCERN_WORDS[v["concern"]]}
    if code == "referral":
        return _("班主任转介（需要立即处理）") if v["urgent"] else _("班主任转介")
    if code == "hotline_risk":
        return _("热线评估风险：%(risk)s") % {"risk": RISK_WORDS[v["risk"]]}
    return code


def list_separator() -> str:
    return pgettext("between items of a list", "、")


def reason_separator() -> str:
    return pgettext("between reasons", "；")


def reasons_worded(reasons: list, facts: dict | None = None) -> str:
    """Stored reasons ([code, values] pairs) as one line; `facts`, the signal's, name the instrument
    version whose questions and answers a screening reason quotes."""
    return reason_separator().join(_worded(code, values, facts or {}) for code, values in reasons)


# The default names, marked for translation; a city's own names (e.g. 一级) are shown as written.
gettext_noop("红色预警")
gettext_noop("橙色预警")
gettext_noop("黄色预警")


def level_name(level_names: dict, level: str) -> str:
    """What people read for a level: the city's name for it, in the reader's language when it is a default."""
    name = level_names.get(level, level)
    return _(name) if name == DEFAULT_RULES["level_names"].get(level) else name


def reasons_stored(reasons: tuple[Reason, ...], facts: dict | None = None) -> tuple[list, str]:
    """What a signal keeps: the codes with their values, and the words in the default language."""
    stored = [[reason.code, reason.values] for reason in reasons]
    with translation.override(settings.LANGUAGE_CODE):
        return stored, reasons_worded(stored, facts)[:300]
