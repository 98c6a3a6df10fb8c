"""Helpers for the staff-side tests; their fixtures are in conftest.py.

- city_campaign: the bureau's city-wide J1 screening of both schools, guardian opt-in, open.
- school_campaign: school A's own J1 screening by its psych teacher, opt-out, open.
- teacher_campaign: school A's teacher well-being survey by its school admin, open.
"""
import datetime

from django.utils import timezone

from xinshao.campaigns.models import Assignment, Campaign
from xinshao.campaigns.services import BatteryChoice, campaign_create, campaign_open


def make_campaign(city, *, created_by, targets, audience=Campaign.Audience.STUDENTS,
                  consent_rule=Campaign.ConsentRule.OPT_OUT, battery=("phqa", "gad7", "asq"), **owner) -> Campaign:
    now = timezone.now()
    campaign = campaign_create(
        created_by=created_by, name="2026秋季心理筛查", audience=audience, term=city.term,
        opens_at=now - datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=7),
        consent_rule=consent_rule, battery=[BatteryChoice(i) for i in battery], targets=targets, **owner,
    )
    return campaign_open(campaign=campaign, actor=created_by)


def set_status(campaign, student, status) -> None:
    Assignment.objects.filter(campaign=campaign, student=student).update(status=status)
