from django import template

from xinshao.alerts.engine import rank
from xinshao.alerts.reasons import level_name as named_level
from xinshao.alerts.reasons import reason_separator, reasons_worded

register = template.Library()


@register.filter
def level_name(alert) -> str:
    return named_level(alert.rule_set.rules.get("level_names", {}), alert.level)


@register.filter
def signal_reason(signal) -> str:
    return reasons_worded(signal.facts.get("reasons", []), signal.facts) or signal.reason


@register.filter
def alert_reason(alert) -> str:
    """The reasons of the signals that set the alert's level (its signals must be prefetched)."""
    signals = list(alert.signals.all())
    top = max((rank(s.level or None) for s in signals), default=0)
    return reason_separator().join(signal_reason(s) for s in signals if rank(s.level or None) == top)
