"""Local norms pages: the bureau computes a term's norms and reads each table's percentiles and
the instrument's reliability in the city's own sample."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinshao.access import scopes
from xinshao.access.routes import BUREAU, BUREAU_ADMIN, EVERYONE, access_rule
from xinshao.core.pages import form_page, refused_flash, refused_onto, require
from xinshao.core.templatetags.xinshao import localized
from xinshao.instruments.selectors import result_definition
from xinshao.norms import selectors, services
from xinshao.norms.forms import ComputeForm
from xinshao.norms.presentation import quality_notes, summary_percentiles
from xinshao.org.models import Term

# An item whose corrected item-total correlation is below this measures something else than the
# rest of the scale in this sample (the usual rule of thumb, e.g. Nunnally & Bernstein 1994).
WEAK_ITEM = 0.3


def _instrument_choices(user, term) -> list[tuple[str, str]]:
    region_ids = scopes.region_subtree_ids(set(scopes.norm_regions_for(user).values_list("pk", flat=True)))
    choices = []
    for instrument_id, version, answered in selectors.sampled_instruments(region_ids, term):
        definition = result_definition(instrument_id=instrument_id, version=version)
        title = localized(definition.title) if definition else instrument_id
        choices.append((f"{instrument_id} {version}", _("%(title)s %(version)s（%(n)s 份有效作答）") % {
            "title": title, "version": version, "n": answered}))
    return choices


@access_rule(allow=BUREAU, forbidden=EVERYONE - BUREAU)
@require_http_methods(["GET", "POST"])
def norm_table_list(request):
    user = request.user
    if not scopes.can_read_norms(user):
        raise PermissionDenied
    can_compute = scopes.can_compute_norms(user)
    if request.method == "POST" and not can_compute:
        raise PermissionDenied
    form = None
    if can_compute:
        term = Term.objects.filter(pk=request.POST.get("term") or request.GET.get("term")).first() or \
            Term.objects.first()
        form = ComputeForm(request.POST or None, initial={"term": term},
                           choices=_instrument_choices(user, term) if term else [])
        if request.method == "POST" and form.is_valid():
            instrument_id, version = form.cleaned_data["instrument"]
            table = refused_onto(form, lambda: services.norm_table_compute(
                region=scopes.norm_regions_for(user).first(), term=form.cleaned_data["term"],
                instrument_id=instrument_id, version=version, actor=user, request=request))
            if table:
                messages.success(request, _("常模已计算。"))
                return redirect("norms:detail", norm_table_id=table.pk)
    tables = selectors.norm_tables(scopes.norm_tables_visible_to(user))
    return form_page(request, "norms/list.html", {"tables": tables, "form": form})


@access_rule(allow=BUREAU, forbidden=EVERYONE - BUREAU)
@require_GET
def norm_table_detail(request, norm_table_id: int):
    if not scopes.can_read_norms(request.user):
        raise PermissionDenied
    table = get_object_or_404(selectors.norm_tables(scopes.norm_tables_visible_to(request.user)), pk=norm_table_id)
    definition = result_definition(instrument_id=table.instrument_id, version=table.instrument_version)
    return form_page(request, "norms/detail.html", {
        "table": table, "definition": definition, "groups": summary_percentiles(table), "weak_item": WEAK_ITEM,
        "notes": quality_notes(table, WEAK_ITEM), "events": table.events.select_related("actor"),
        "placed": table.results.count(), "can_adopt": table in _adoptable(request.user),
    })


def _adoptable(user):
    """The tables this user may adopt for scoring or retire: those of the regions they administer."""
    return scopes.norm_tables_visible_to(user).filter(region__in=scopes.norm_regions_for(user))


def _use_for_scoring(request, norm_table_id: int, write, done: str):
    """The adopt and retire buttons: the write on a table of a region this user administers."""
    require(scopes.can_compute_norms(request.user))
    table = get_object_or_404(_adoptable(request.user), pk=norm_table_id)
    refused_flash(request, lambda: write(actor=request.user, table=table, request=request), done)
    return redirect("norms:detail", norm_table_id=table.pk)


@access_rule(allow=BUREAU_ADMIN, forbidden=EVERYONE - BUREAU_ADMIN, post_only=True)
@require_POST
def norm_table_adopt(request, norm_table_id: int):
    return _use_for_scoring(request, norm_table_id, services.norm_table_adopt,
                            _("已采用为计分常模：之后的结果按这张表给出百分位，已有的结果正在后台补上。"))


@access_rule(allow=BUREAU_ADMIN, forbidden=EVERYONE - BUREAU_ADMIN, post_only=True)
@require_POST
def norm_table_retire(request, norm_table_id: int):
    return _use_for_scoring(request, norm_table_id, services.norm_table_retire,
                            _("已停用：之后的结果不再按这张表计百分位，已记录的保持不变。"))
