"""Reads for a transfer: the schools a student may move to."""
from django.db.models import QuerySet

from xinshao.access import scopes
from xinshao.alerts.selectors import city_of
from xinshao.org.models import School


def schools_in_city_of(school: School) -> QuerySet[School]:
    return School.objects.filter(district_id__in=scopes.region_subtree_ids({city_of(school).pk}))
