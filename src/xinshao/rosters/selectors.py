"""Reads for the roster pages, always through the user's roster rights."""
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from xinshao.access.scopes import schools_with_roster_rights
from xinshao.org.models import School
from xinshao.rosters.models import ImportRun

RECENT_RUNS = 10


def roster_school(user, code: str) -> School:
    """The school with this code if the user may change its roster; 404 otherwise, so a
    school outside the user's rights looks the same as one that does not exist."""
    return get_object_or_404(schools_with_roster_rights(user), code=code)


def recent_runs(school: School) -> QuerySet[ImportRun]:
    return ImportRun.objects.filter(school=school).select_related("actor")[:RECENT_RUNS]


def school_run(school: School, run_id: int) -> ImportRun:
    return get_object_or_404(ImportRun.objects.filter(school=school), pk=run_id)
