from django import template

from xinshao.cases.timeline.selectors import EVENT_LABELS

register = template.Library()


@register.filter
def case_event_label(kind: str) -> str:
    return str(EVENT_LABELS.get(kind, kind))
