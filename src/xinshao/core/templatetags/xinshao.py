from django import template
from django.utils.translation import get_language

from xinshao.core.numbers import plain_number

register = template.Library()


@register.filter
def localized(texts) -> str:
    """A {"zh-Hans": ..., "en": ...} text in the current language, zh-Hans when missing."""
    if not isinstance(texts, dict):
        return texts or ""
    language = "en" if (get_language() or "").startswith("en") else "zh-Hans"
    return texts.get(language) or texts.get("zh-Hans") or next(iter(texts.values()), "")


@register.filter
def plain(value):
    """A stored total as people write it: 21, not 21.0; "—" when there is none."""
    return "—" if value is None else plain_number(value)
