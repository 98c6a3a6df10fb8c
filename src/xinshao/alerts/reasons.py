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

_CONCERN_WORDS = {"none": pgettext_lazy("concern", "没有担心"), "some": pgettext_lazy("concern", "有些担心"),
                  "serious": pgettext_lazy("concern", "非常担心")}
_RISK_WORDS = {"low": pgettext_lazy("hotline risk", "低"), "medium": pgettext_lazy("hotline risk", "中"),
               "high": pgettext_lazy("hotline risk", "高"), "imminent": pgettext_lazy("hotline risk", "紧急")}


def _concern_labels(keys: list[str]) -> str:
    labels = dict(Concern.choices)
    return list_separator().join(str(labels.get(key, key)) for key in keys)


def _worded(code: str, v: dict) -> str:
    if code == "band":
        return _("%(instrument)s %(total)s 分，%(band)s") % {
            "instrument": v["instrument"], "total": v["total"], "band": v.get("band_label") or v["band"]}
    if code == "critical_item":
        return _("%(instrument)s 第 %(item)s 题回答 %(answer)s（关键条目）") % v
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
        return _("热线评估风险：%(risk)s") % {"risk": _RISK_WORDS[v["risk"]]}
    return code


def list_separator() -> str:
    return pgettext("between items of a list", "、")


def reason_separator() -> str:
    return pgettext("between reasons", "；")


def reasons_worded(reasons: list) -> str:
    """Stored reasons ([code, values] pairs) as one line."""
    return reason_separator().join(_worded(code, values) for code, values in reasons)


# The default names, marked for translation; a city's own names (e.g. 一级) are shown as written.
gettext_noop("红色预警")
gettext_noop("橙色预警")
gettext_noop("黄色预警")


def level_name(level_names: dict, level: str) -> str:
    """What people read for a level: the city's name for it, in the reader's language when it is a default."""
    name = level_names.get(level, level)
    return _(name) if name == DEFAULT_RULES["level_names"].get(level) else name


def reasons_stored(reasons: tuple[Reason, ...]) -> tuple[list, str]:
    """What a signal keeps: the codes with their values, and the words in the default language."""
    stored = [[reason.code, reason.values] for reason in reasons]
    with translation.override(settings.LANGUAGE_CODE):
        return stored, reasons_worded(stored)[:300]
