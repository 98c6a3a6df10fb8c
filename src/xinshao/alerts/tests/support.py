"""Helpers for early-warning tests: a student's screening result, stored the way a submission stores it."""
import datetime
import uuid

from django.utils import timezone

from xinshao.campaigns.models import Assignment, Campaign, InstrumentResult, Submission
from xinshao.instruments.engine import builtin_library
from xinshao.org.models import Term

NOW = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.timezone.utc)


def campaign_in(city, term: Term | None = None, name: str = "秋季筛查") -> Campaign:
    term = term or city.term
    return Campaign.objects.create(
        name=name, audience=Campaign.Audience.STUDENTS, status=Campaign.Status.OPEN,
        consent_rule=Campaign.ConsentRule.NOT_REQUIRED, region=city.region, term=term,
        opens_at=datetime.datetime.combine(term.starts_on, datetime.time(), tzinfo=datetime.timezone.utc),
        closes_at=datetime.datetime.combine(term.ends_on, datetime.time(), tzinfo=datetime.timezone.utc),
        created_by=city.bai,
    )


def stored_result(campaign: Campaign, student, instrument: str, answers: list, *, at=None) -> InstrumentResult:
    """Score answers with the built-in definition and store them as one submission."""
    definition = builtin_library().get(instrument, None)
    outcome = definition.score(answers)
    assignment, _ = Assignment.objects.get_or_create(
        campaign=campaign, student=student,
        defaults={"code_digest": uuid.uuid4().hex, "code": "TEST", "status": Assignment.Status.SUBMITTED})
    submission, _ = Submission.objects.get_or_create(assignment=assignment, defaults={
        "idempotency_key": uuid.uuid4(), "answers": {}, "item_seconds": {}, "received_at": at or timezone.now()})
    return InstrumentResult.objects.create(
        submission=submission, campaign=campaign, student=student, instrument_id=instrument,
        instrument_version=definition.version, total=outcome["total"], band=outcome["band"] or "",
        valid=outcome["valid"], has_critical_flag=any(f["critical"] for f in outcome["flags"]), outcome=outcome,
    )
