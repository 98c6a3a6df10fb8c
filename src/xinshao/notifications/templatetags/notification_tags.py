from django import template

from xinshao.notifications import selectors

register = template.Library()


@register.inclusion_tag("notifications/badge.html", takes_context=True)
def notification_badge(context) -> dict:
    """The header's link to the inbox with the unread count; badge.js keeps it current."""
    counts = selectors.unread_counts(context["user"])
    return {"counts": counts, "label": selectors.badge_label(counts), "labels": selectors.badge_labels()}
