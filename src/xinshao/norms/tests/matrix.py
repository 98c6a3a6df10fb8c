"""Norm tables for the access matrix: one city-wide table, the same on both sides (it belongs to no school)."""
from django.utils import timezone

from xinshao.access.tests.matrix_objects import Thing
from xinshao.norms.models import NormTable


def matrix_side(city, side, objects):
    table, _created = NormTable.objects.get_or_create(
        region=city.region, term=city.term, instrument_id="gad7", instrument_version="1.0.0",
        defaults={"computed_at": timezone.now(), "respondents": 40, "complete": 40, "alpha": 0.88,
                  "groups": [{"grade": "J1", "gender": "F", "n": 40, "mean": 5.0, "sd": 3.0,
                              "percentiles": [[0, 5.0], [5, 50.0], [12, 95.0]]}]})
    return {"norm_table_id": Thing(table.pk)}
