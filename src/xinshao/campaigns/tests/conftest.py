import datetime

import pytest
from django.utils import timezone

from xinshao.campaigns.models import Campaign
from xinshao.campaigns.services import BatteryChoice, TargetChoice, campaign_create, campaign_open


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
