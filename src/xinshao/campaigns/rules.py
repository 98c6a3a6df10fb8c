"""Small rules about campaigns that pages and services share."""
import datetime

from django.utils import timezone

from xinshao.campaigns.models import Assignment, Campaign, ConsentRecord


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def is_accepting(campaign: Campaign, now: datetime.datetime | None = None) -> bool:
    """Open, and inside its window."""
    now = now or timezone.now()
    return campaign.status == Campaign.Status.OPEN and campaign.opens_at <= now < campaign.closes_at


def consent_allows(campaign: Campaign, latest: str | None) -> bool:
    """Whether a student may take part, given the newest consent decision on record (or None)."""
    if campaign.consent_rule == Campaign.ConsentRule.OPT_IN:
        return latest == ConsentRecord.Decision.GRANTED
    if campaign.consent_rule == Campaign.ConsentRule.OPT_OUT:
        return latest != ConsentRecord.Decision.REFUSED
    return True


def latest_consent(assignment: Assignment) -> str | None:
    if assignment.student_id is None:
        return None
    # Ordered explicitly: the model's default ordering would join campaign and student.
    records = ConsentRecord.objects.filter(campaign_id=assignment.campaign_id, student_id=assignment.student_id)
    return records.order_by("-recorded_at", "-id").values_list("decision", flat=True).first()


def battery_for(assignment: Assignment) -> list:
    """The battery instruments this respondent answers: by age on the day the campaign opens."""
    battery = list(assignment.campaign.battery.all())
    if assignment.student_id is None:
        return battery
    age = age_on(assignment.student.birth_date, timezone.localtime(assignment.campaign.opens_at).date())
    return [b for b in battery if (b.min_age is None or age >= b.min_age) and (b.max_age is None or age <= b.max_age)]


def asks_consent(campaign: Campaign) -> bool:
    """Whether guardians decide about this campaign (opt-in or opt-out, students only)."""
    return campaign.audience == Campaign.Audience.STUDENTS and campaign.consent_rule != Campaign.ConsentRule.NOT_REQUIRED
