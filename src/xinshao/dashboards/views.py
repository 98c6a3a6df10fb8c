"""Pages of the dashboards (mounted at /dashboards/): the city's, a school's, a class's.

Thin: filters from the query string, figures from selectors.py. A school or class outside the
user's scope is 404; a role the page is never for gets 403. A page naming students writes one
audit entry.
"""
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from xinshao.access import scopes
from xinshao.access.routes import (BUREAU, CLASS_TEACHER, EVERYONE, PSYCH_TEACHER, SCHOOL_ADMIN, access_rule)
from xinshao.audit.services import audit_list_view
from xinshao.core.pages import require
from xinshao.org.models import Region

from . import selectors
from .forms import DashboardFilterForm


def _filtered(request, *, template: str, build, districts=None, term_only=False, **context):
    """The page for the filters asked for; with a filter it cannot use, the form's errors and no figures (400)."""
    form = DashboardFilterForm(request.GET or None, districts=districts, term_only=term_only)
    if form.is_bound and not form.is_valid():
        return render(request, template, {"form": form, **context}, status=400)
    filters = selectors.filters_from(form)
    dashboard = build(filters) if filters.term else None
    return render(request, template, {"form": form, "filters": filters, "dashboard": dashboard, **context})


def _audited(request, action: str, build):
    """`build`, then one audit entry naming the students its page lists (none: no entry)."""
    def built(filters):
        dashboard = build(filters)
        audit_list_view(actor=request.user, action=action, students=dashboard.students_listed, request=request)
        return dashboard
    return built


@access_rule(allow=BUREAU, others=403)
@require_GET
def city(request):
    require(scopes.can_view_city_dashboard(request.user))
    districts = scopes.regions_visible_to(request.user).filter(kind=Region.Kind.DISTRICT).order_by("code")
    return _filtered(request, template="dashboards/city.html", districts=districts,
                     build=lambda filters: selectors.city_dashboard(request.user, filters))


@access_rule(allow=SCHOOL_ADMIN | PSYCH_TEACHER, others=403)
@require_GET
def my_school(request):
    """The home menu's way in for a school's admin and psych teachers: their (first) school's dashboard."""
    schools = scopes.own_dashboard_schools(request.user)
    require(schools.exists())
    return redirect("dashboards:school", school_id=schools.order_by("code").first().pk)


@access_rule(allow=(BUREAU, SCHOOL_ADMIN.of_school, PSYCH_TEACHER.of_school),
             forbidden=EVERYONE - BUREAU - SCHOOL_ADMIN - PSYCH_TEACHER)
@require_GET
def school(request, school_id):
    require(scopes.can_use_school_dashboards(request.user))
    school = get_object_or_404(scopes.dashboard_schools_visible_to(request.user), pk=school_id)

    return _filtered(request, template="dashboards/school.html", school=school, build=_audited(
        request, "dashboards.school.view", lambda filters: selectors.school_dashboard(request.user, school, filters)))


@access_rule(allow=CLASS_TEACHER, others=403)
@require_GET
def my_class(request):
    """The home menu's way in for a class teacher: their (first) class's view."""
    require(scopes.can_see_own_classes(request.user))
    return redirect("dashboards:school_class",
                    class_id=scopes.dashboard_classes_visible_to(request.user).order_by("pk").first().pk)


@access_rule(allow=(CLASS_TEACHER.of_class, PSYCH_TEACHER.of_school),
             forbidden=EVERYONE - CLASS_TEACHER - PSYCH_TEACHER)
@require_GET
def school_class(request, class_id):
    require(scopes.can_use_class_views(request.user))
    school_class = get_object_or_404(scopes.dashboard_classes_visible_to(request.user), pk=class_id)

    return _filtered(request, template="dashboards/class.html", term_only=True, school_class=school_class,
                     build=_audited(request, "dashboards.class.view",
                                    lambda filters: selectors.class_view(request.user, school_class, filters)))
