"""The dashboards as exports: a page's figures for its own filters, in Excel or PDF.

Each kind reads through the same scopes and selectors as its page, so an export holds exactly
what the page shows that user (small cells hidden for aggregate-only readers); the school
dashboard's named lists, shown to its psych teachers only, name their students in the download's
audit entry."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinshao.access import scopes
from xinshao.exports.kinds import ExportRefused, as_table, export_kind, number_of
from xinshao.org.models import Region

from . import selectors
from .forms import DashboardFilterForm


def _form(params, **options) -> DashboardFilterForm:
    form = DashboardFilterForm({k: v for k, v in params.items() if k not in ("school", "class")} or None, **options)
    if form.is_bound and not form.is_valid():
        raise ExportRefused(_("筛选条件有误：") + " ".join(str(e) for errors in form.errors.values() for e in errors))
    return form


def _tables(dashboard):
    """The dashboard's tables; the students its lists name go with the first table, for the audit."""
    listed = {student.pk for student in dashboard.students_listed}
    for position, table in enumerate(dashboard.tables):
        exported = as_table(table)
        exported.student_ids = listed if position == 0 and listed else None
        yield exported


def _city_form(user, params) -> DashboardFilterForm:
    return _form(params, districts=scopes.regions_visible_to(user).filter(kind=Region.Kind.DISTRICT))


def _city_clean(user, params) -> dict:
    _city_form(user, params)  # refuses filters the page would refuse
    return params


@export_kind("city_dashboard", title=gettext_lazy("全市数据看板"), may=scopes.can_view_city_dashboard,
             clean=_city_clean)
def city_dashboard_tables(user, params):
    yield from _tables(selectors.city_dashboard(user, selectors.filters_from(_city_form(user, params))))


def _school(user, params):
    school = scopes.dashboard_schools_visible_to(user).filter(pk=number_of(params.get("school"))).first()
    if school is None:
        raise ExportRefused(_("找不到这所学校，或您无权查看它的数据看板。"))
    return school


def _school_clean(user, params) -> dict:
    _school(user, params), _form(params)
    return params


@export_kind("school_dashboard", title=gettext_lazy("学校数据看板"), may=scopes.can_use_school_dashboards,
             clean=_school_clean)
def school_dashboard_tables(user, params):
    school = _school(user, params)
    yield from _tables(selectors.school_dashboard(user, school, selectors.filters_from(_form(params))))


def _class(user, params):
    school_class = scopes.dashboard_classes_visible_to(user).filter(pk=number_of(params.get("class"))).first()
    if school_class is None:
        raise ExportRefused(_("找不到这个班级，或您无权查看它。"))
    return school_class


def _class_clean(user, params) -> dict:
    _class(user, params), _form(params, term_only=True)
    return params


@export_kind("class_dashboard", title=gettext_lazy("班级情况"), may=scopes.can_use_class_views,
             clean=_class_clean)
def class_dashboard_tables(user, params):
    school_class = _class(user, params)
    filters = selectors.filters_from(_form(params, term_only=True))
    yield from _tables(selectors.class_view(user, school_class, filters))
