import datetime

import pytest
from django.utils import timezone

from xinshao.campaigns.models import Campaign
from xinshao.campaigns.services import (
    BatteryChoice,
    TargetChoice,
    campaign_create,
    campaign_open,
)
from xinshao.campaigns.tests.staff_support import make_campaign


@pytest.fixture
def student_campaign(city):
    """School A's junior students, PHQ-A + GAD-7 + ASQ, opt-out consent, open now for a week."""
    now = timezone.now()
    campaign = campaign_create(
        created_by=city.bai, name="2026秋季心理筛查", audience=Campaign.Audience.STUDENTS, term=city.term,
        opens_at=now - datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=7),
        consent_rule=Campaign.ConsentRule.OPT_OUT, region=city.region,
        battery=[BatteryChoice("phqa", min_age=11), BatteryChoice("gad7"), BatteryChoice("asq")],
        targets=[TargetChoice(school=city.school_a, level="J1")],
    )
    return campaign_open(campaign=campaign, actor=city.bai)


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
