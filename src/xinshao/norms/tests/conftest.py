import datetime
import uuid

import pytest
from django.utils import timezone

from xinshao.campaigns.models import Assignment, Campaign
from xinshao.campaigns.services import BatteryChoice, TargetChoice, campaign_create, campaign_open
from xinshao.campaigns.submissions import submission_receive
from xinshao.instruments.engine import builtin_library
from xinshao.testing import enrolled_student

GAD7_ITEMS = len(builtin_library().get("gad7", "1.0.0").items)  # items 1–7 make the total; 8 asks about difficulty


def gad7_campaign(city, name: str) -> Campaign:
    now = timezone.now()
    campaign = campaign_create(
        created_by=city.liu_a, name=name, audience=Campaign.Audience.STUDENTS, term=city.term, school=city.school_a,
        opens_at=now - datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=7),
        consent_rule=Campaign.ConsentRule.NOT_REQUIRED, battery=[BatteryChoice("gad7")],
        targets=[TargetChoice(school=city.school_a, level="J1")])
    return campaign_open(campaign=campaign, actor=city.liu_a)


def answer(campaign: Campaign, student, answers: list[int], seconds: int = 4) -> None:
    assignment = Assignment.objects.get(campaign=campaign, student=student)
    submission_receive(assignment_id=assignment.pk, payload={
        "key": str(uuid.uuid4()), "answers": {"gad7": answers}, "seconds": {"gad7": [seconds] * GAD7_ITEMS}})


@pytest.fixture
def sample(city, settings):
    """Ten girls and four boys of 初一 at school A answered GAD-7; groups of five are published.

    Returns {gender: [totals], "items": [items 1–7 of each answer]} of the valid results the norms
    must be computed from. Answers follow each student's level, so the items agree as a scale's do."""
    settings.NORMS_MIN_GROUP = 5
    girls = [city.chen] + [enrolled_student(city.school_a, city.class_a1, f"N{n:03d}", f"女生{n}", "F", (2013, 1, n))
                           for n in range(1, 10)]
    boys = [city.lin] + [enrolled_student(city.school_a, city.class_a2, f"M{n:03d}", f"男生{n}", "M", (2013, 2, n))
                         for n in range(1, 4)]
    campaign = gad7_campaign(city, "秋季测评")
    totals = {"F": [], "M": [], "items": []}
    for position, student in enumerate(girls + boys):
        level = position % 4
        answers = [min(3, max(0, level + (item % 3) - 1)) for item in range(GAD7_ITEMS)]
        answer(campaign, student, answers)
        totals[student.gender].append(sum(answers[:7]))
        totals["items"].append(answers[:7])
    return totals
