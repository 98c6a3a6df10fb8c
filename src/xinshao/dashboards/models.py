"""Per-term tallies the dashboards read instead of a term's hundreds of thousands of assignments and
results (docs/dashboards.md, "Tallies").

A tally row counts one term's students of one class and gender: how many were given a screening and
how many submitted (`ScreeningTally`), and how many valid results fell in each band of each
instrument (`BandTally`). Summed over classes they give a school's or the city's figures, because a
student counts in their current class only. `TallyRefresh` says when a term was last counted; a
refresh replaces the term's rows in one transaction.
"""
from django.db import models


class TallyRefresh(models.Model):
    term = models.OneToOneField("org.Term", on_delete=models.CASCADE, related_name="tally_refresh")
    refreshed_at = models.DateTimeField()


class TallyCell(models.Model):
    """Where a tally row's students are: term, school, class (null for a student without one), grade, gender."""

    term = models.ForeignKey("org.Term", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+")
    school_class = models.ForeignKey("org.SchoolClass", null=True, on_delete=models.CASCADE, related_name="+")
    grade_level = models.CharField(max_length=2, blank=True)
    gender = models.CharField(max_length=1)

    class Meta:
        abstract = True


class ScreeningTally(TallyCell):
    assigned = models.PositiveIntegerField()   # students given at least one screening of the term
    submitted = models.PositiveIntegerField()  # of them, students who submitted at least one

    class Meta:
        indexes = [models.Index(fields=["term", "school"])]


class BandTally(TallyCell):
    instrument_id = models.CharField(max_length=40)
    band = models.CharField(max_length=40, blank=True)
    results = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["term", "instrument_id", "school"])]
