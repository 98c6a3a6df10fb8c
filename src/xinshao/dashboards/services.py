"""Counting a term's tallies (models.py): two grouped queries over the term's assignments and results,
the old rows replaced by the new in one transaction, so a reader sees one count or the other."""
import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from xinshao.campaigns.models import Assignment, InstrumentResult
from xinshao.org.models import Term

from .models import BandTally, ScreeningTally, TallyRefresh

_CELL = ("student__school", "student__school_class", "student__school_class__grade__level", "student__gender")


def _cell(term: Term, school_id, class_id, level, gender) -> dict:
    return {"term": term, "school_id": school_id, "school_class_id": class_id, "grade_level": level or "",
            "gender": gender}


def tallies_refresh(term: Term, *, now: datetime.datetime | None = None) -> TallyRefresh:
    """Count the term again. Refreshes of one term wait for each other (the TallyRefresh row's lock)."""
    now = now or timezone.now()
    with transaction.atomic():
        refresh, _created = TallyRefresh.objects.select_for_update().get_or_create(
            term=term, defaults={"refreshed_at": now})
        screening = (Assignment.objects.filter(campaign__term=term, student__isnull=False)
                     .values_list(*_CELL)
                     .annotate(assigned=Count("student", distinct=True),
                               submitted=Count("student", filter=Q(status=Assignment.Status.SUBMITTED), distinct=True))
                     .order_by())
        bands = (InstrumentResult.objects.filter(campaign__term=term, valid=True, student__isnull=False)
                 .values_list(*_CELL, "instrument_id", "band").annotate(n=Count("id")).order_by())
        ScreeningTally.objects.filter(term=term).delete()
        BandTally.objects.filter(term=term).delete()
        ScreeningTally.objects.bulk_create(
            [ScreeningTally(**_cell(term, *place), assigned=assigned, submitted=submitted)
             for *place, assigned, submitted in screening], batch_size=2000)
        BandTally.objects.bulk_create(
            [BandTally(**_cell(term, *place), instrument_id=instrument_id, band=band, results=n)
             for *place, instrument_id, band, n in bands], batch_size=2000)
        refresh.refreshed_at = now
        refresh.save(update_fields=["refreshed_at"])
    return refresh


def tallies_ensure() -> None:
    """Count each term that has never been counted: its first dashboard pays once."""
    for term in Term.objects.filter(tally_refresh__isnull=True):
        tallies_refresh(term)


def live_terms(today: datetime.date) -> list[Term]:
    """Terms whose answers may still change: under way, or ended within DASHBOARD_TALLY_SETTLE_DAYS.
    An older term keeps its last count, so removing old answers (retention) leaves its figures alone."""
    settled = today - datetime.timedelta(days=settings.DASHBOARD_TALLY_SETTLE_DAYS)
    return list(Term.objects.filter(starts_on__lte=today, ends_on__gte=settled))


def live_tallies_refresh(now: datetime.datetime | None = None) -> int:
    """The periodic job: count the live terms again. Answers how many terms were counted."""
    now = now or timezone.now()
    terms = live_terms(timezone.localdate(now))
    for term in terms:
        tallies_refresh(term, now=now)
    return len(terms)
