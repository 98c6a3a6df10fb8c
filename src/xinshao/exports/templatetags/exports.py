from urllib.parse import urlencode

from django import template

from xinshao.exports.kinds import kind_named

register = template.Library()


@register.inclusion_tag("exports/_buttons.html", takes_context=True)
def export_buttons(context, kind_name: str, **params):
    """The "导出 Excel / 导出 PDF" buttons of a list page, for those who may ask for the kind. The
    parameters are the page's own query string (its filters) with those given here."""
    request = context["request"]
    kind = kind_named(kind_name)
    return {
        "shown": kind is not None and kind.may(request.user),
        "kind": kind_name, "query": urlencode({**request.GET.dict(), **params}),
        "formats": kind.formats if kind else (), "pdf_label": kind.button if kind else "", "csrf_token": context.get("csrf_token"),
    }
