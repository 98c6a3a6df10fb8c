from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xinshao.access import scopes
from xinshao.instruments.engine import UnknownInstrument
from xinshao.instruments.forms import CustomInstrumentUploadForm
from xinshao.instruments.selectors import custom_instrument_keys, instrument_definition_get, instrument_library
from xinshao.instruments.services import custom_instrument_upload


def _require_browse(user) -> None:
    if not scopes.can_browse_instruments(user):
        raise PermissionDenied


@require_GET
def library(request):
    _require_browse(request.user)
    return render(request, "instruments/library.html", {
        "definitions": list(instrument_library()),
        "custom_keys": custom_instrument_keys(),
        "can_upload": scopes.can_manage_instruments(request.user),
    })


@require_GET
def definition_detail(request, instrument_id: str, version: str):
    _require_browse(request.user)
    try:
        definition = instrument_definition_get(instrument_id=instrument_id, version=version)
    except UnknownInstrument:
        raise Http404 from None
    option_sets = definition.data.get("option_sets", {})
    items = [{**item, "option_list": option_sets.get(item.get("options"), item.get("options"))}
             for item in definition.data["items"]]
    return render(request, "instruments/definition.html", {"definition": definition, "data": definition.data,
                                                           "items": items})


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
