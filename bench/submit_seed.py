"""Open a city-wide screening for bench/submit_load.py and list its respondents' tokens.

Runs inside Django (DATABASE_URL and XINSHAO_DATA_DIR as for the server) on a database that
already holds the demo city: a campaign of the bureau with PHQ-A (11+) + GAD-7 + ASQ for every
junior and senior grade, opened now for a week. Writes a JSON file: the item count of each
instrument and, per respondent aged 11 or more (so answering all three), the signed token the
questionnaire page would carry.

    python bench/submit_seed.py OUTPUT.json
"""
import datetime
import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinshao.settings")
django.setup()

from django.utils import timezone  # noqa: E402

from xinshao.accounts.models import User  # noqa: E402
from xinshao.campaigns.models import Assignment, Campaign  # noqa: E402
from xinshao.campaigns.respond_views import respondent_token  # noqa: E402
from xinshao.campaigns.services import BatteryChoice, TargetChoice, campaign_create, campaign_open  # noqa: E402
from xinshao.campaigns.submissions import pinned_definition  # noqa: E402
from xinshao.demo.plan import CITY_CODE  # noqa: E402
from xinshao.org.grades import JUNIOR, SENIOR  # noqa: E402
from xinshao.org.models import Region, School, Term  # noqa: E402

BATTERY = [BatteryChoice("phqa", min_age=11), BatteryChoice("gad7"), BatteryChoice("asq")]


def open_campaign() -> Campaign:
    city = Region.objects.get(code=CITY_CODE)
    schools = School.objects.filter(district__parent=city).order_by("code")
    now = timezone.now()
    campaign = campaign_create(
        created_by=User.objects.get(username="bureau.admin"), name="提交压力测试", term=Term.objects.first(),
        audience=Campaign.Audience.STUDENTS, consent_rule=Campaign.ConsentRule.OPT_OUT, region=city,
        opens_at=now - datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=7), battery=BATTERY,
        targets=[TargetChoice(school=school, level=level) for school in schools for level in JUNIOR + SENIOR
                 if school.teaches(level)],
    )
    return campaign_open(campaign=campaign, actor=campaign.created_by)


def main() -> None:
    campaign = open_campaign()
    opened = timezone.localtime(campaign.opens_at).date()
    born_by = opened.replace(year=opened.year - 11)
    assignments = Assignment.objects.filter(campaign=campaign, student__birth_date__lte=born_by).order_by("pk")
    items = {entry.instrument_id: len(pinned_definition(entry.instrument_id, entry.instrument_version).items)
             for entry in campaign.battery.all()}
    tokens = [respondent_token(pk) for pk in assignments.values_list("pk", flat=True)]
    with open(sys.argv[1], "w") as output:
        json.dump({"campaign": campaign.pk, "items": items, "tokens": tokens}, output)
    print(f"campaign {campaign.pk}: {campaign.assignments.count():,} assignments, {len(tokens):,} aged 11 or more")


if __name__ == "__main__":
    main()
