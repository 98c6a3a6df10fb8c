from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods

from xinshao.access import scopes
from xinshao.access.routes import BUREAU, BUREAU_ADMIN, PSYCH_TEACHER, SCHOOL_ADMIN, access_rule
from xinshao.core.templatetags.xinshao import localized
from xinshao.instruments.engine import UnknownInstrument
from xinshao.instruments.forms import CustomInstrumentUploadForm
from xinshao.instruments.selectors import custom_instrument_keys, instrument_definition_get, instrument_library
from xinshao.instruments.services import custom_instrument_upload


def _require_browse(user) -> None:
    if not scopes.can_browse_instruments(user):
        raise PermissionDenied


@access_rule(allow=BUREAU | SCHOOL_ADMIN | PSYCH_TEACHER, others=403)
@require_GET
def library(request):
    _require_browse(request.user)
    return render(request, "instruments/library.html", {
        "definitions": list(instrument_library()),
        "custom_keys": custom_instrument_keys(),
        "can_upload": scopes.can_manage_instruments(request.user),
    })


@access_rule(allow=BUREAU | SCHOOL_ADMIN | PSYCH_TEACHER, others=403)
@require_GET
def definition_detail(request, instrument_id: str, version: str):
    _require_browse(request.user)
    try:
        definition = instrument_definition_get(instrument_id=instrument_id, version=version)
    except UnknownInstrument:
        raise Http404 from None
    option_sets = definition.data.get("option_sets", {})
    items = [{**item, "option_list": option_sets.get(item.get("options"), item.get("options")),
              "asked_when": _asked_when(definition, compiled)}
             for item, compiled in zip(definition.data["items"], definition.items, strict=True)]
    return render(request, "instruments/definition.html", {"definition": definition, "data": definition.data,
                                                           "items": items})


def _asked_when(definition, item) -> dict | None:
    """An item asked only sometimes, as staff read it: which questions and which answers ask it."""
    condition = item.shown_if
    if condition is None:
        return None
    first = definition.items[condition.item_indices[0]]
    separator = pgettext("between items of a list", "、")
    return {"numbers": separator.join(str(index + 1) for index in condition.item_indices),
            "answers": separator.join(f"“{localized(option.label)}”" for option in first.options
                                      if option.value in condition.values),
            "missing": condition.on_missing}


@access_rule(allow=BUREAU_ADMIN, others=403)
@require_http_methods(["GET", "POST"])
def upload(request):
    if not scopes.can_manage_instruments(request.user):
        raise PermissionDenied
    form = CustomInstrumentUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            instrument = custom_instrument_upload(uploaded_by=request.user, file=form.cleaned_data["file"])
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(request, _("已加入量表库：%(name)s") % {"name": instrument})
            return redirect("instruments:definition", instrument_id=instrument.instrument_id, version=instrument.version)
    status = 400 if request.method == "POST" else 200
    return render(request, "instruments/upload.html", {"form": form, "problems": problems}, status=status)
