"""What the respondent tests share: payloads as the questionnaire page sends them, a teacher survey."""
import datetime
import json
import uuid

from django.urls import reverse
from django.utils import timezone

from xinshao.campaigns.models import Assignment, Campaign
from xinshao.campaigns.respond_views import respondent_token
from xinshao.campaigns.rules import battery_for
from xinshao.campaigns.services import (
    BatteryChoice,
    TargetChoice,
    campaign_create,
    campaign_open,
)
from xinshao.campaigns.submissions import pinned_definition

CALM_SECONDS = 4  # per item: well above the engine's "too fast" floor


def item_counts(assignment: Assignment) -> dict[str, int]:
    return {entry.instrument_id: len(pinned_definition(entry.instrument_id, entry.instrument_version).items)
            for entry in battery_for(assignment)}


def payload(assignment: Assignment, *, key=None, **answers) -> dict:
    """All-zero answers for the assignment's battery; keyword arguments replace one instrument's list."""
    counts = item_counts(assignment)
    return {
        "token": respondent_token(assignment.pk),
        "key": str(key or uuid.uuid4()),
        "answers": {instrument: answers.get(instrument, [0] * count) for instrument, count in counts.items()},
        "seconds": {instrument: [CALM_SECONDS] * count for instrument, count in counts.items()},
    }


def draft_payload(assignment: Assignment, *, position: int, updated: int, **answers) -> dict:
    body = payload(assignment, **answers)
    del body["key"]
    return {**body, "position": position, "updated": updated}


def post_json(client, url_name: str, body):
    return client.post(reverse(url_name), json.dumps(body), content_type="application/json")


def teacher_campaign(city, *instruments: str, feedback=Campaign.Feedback.THANKS) -> Campaign:
    """School A's staff answer a well-being survey, open now for a week."""
    now = timezone.now()
    campaign = campaign_create(
        created_by=city.bai, name="2026教师心理健康自评", audience=Campaign.Audience.TEACHERS, term=city.term,
        opens_at=now - datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=7),
        consent_rule=Campaign.ConsentRule.NOT_REQUIRED, region=city.region, feedback=feedback,
        battery=[BatteryChoice(instrument) for instrument in instruments or ("pss10", "cbi", "phq9")],
        targets=[TargetChoice(school=city.school_a)],
    )
    return campaign_open(campaign=campaign, actor=city.bai)
