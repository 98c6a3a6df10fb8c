"""Campaigns the staff-side tests share; test modules import the fixtures they use.

- city_campaign: the bureau's city-wide J1 screening of both schools, guardian opt-in, open.
- school_campaign: school A's own J1 screening by its psych teacher, opt-out, open.
- teacher_campaign: school A's teacher well-being survey by its school admin, open.
"""
import datetime

import pytest
from django.utils import timezone

from xinshao.campaigns.models import Assignment, Campaign
from xinshao.campaigns.services import BatteryChoice, TargetChoice, campaign_create, campaign_open


def make_campaign(city, *, created_by, targets, audience=Campaign.Audience.STUDENTS,
                  consent_rule=Campaign.ConsentRule.OPT_OUT, battery=("phqa", "gad7", "asq"), **owner) -> Campaign:
    now = timezone.now()
    campaign = campaign_create(
        created_by=created_by, name="2026秋季心理筛查", audience=audience, term=city.term,
        opens_at=now - datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=7),
        consent_rule=consent_rule, battery=[BatteryChoice(i) for i in battery], targets=targets, **owner,
    )
    return campaign_open(campaign=campaign, actor=created_by)


@pytest.fixture
def city_campaign(city):
    targets = [TargetChoice(school=city.school_a, level="J1"), TargetChoice(school=city.school_b, level="J1")]
    return make_campaign(city, created_by=city.bai, region=city.region, consent_rule=Campaign.ConsentRule.OPT_IN,
                         targets=targets)


@pytest.fixture
def school_campaign(city):
    return make_campaign(city, created_by=city.liu_a, school=city.school_a,
                         targets=[TargetChoice(school=city.school_a, level="J1")])


@pytest.fixture
def teacher_campaign(city):
    return make_campaign(city, created_by=city.song_a, school=city.school_a, audience=Campaign.Audience.TEACHERS,
                         consent_rule=Campaign.ConsentRule.NOT_REQUIRED, battery=("pss10", "cbi"),
                         targets=[TargetChoice(school=city.school_a)])


def set_status(campaign, student, status) -> None:
    Assignment.objects.filter(campaign=campaign, student=student).update(status=status)
