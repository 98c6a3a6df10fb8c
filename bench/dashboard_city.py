"""Give a seeded demo city three terms of screening history, for bench/dashboards.py.

Runs inside Django (DATABASE_URL and XINSHAO_DATA_DIR as for the server) on a database that
already holds the demo city (`xinshao seed-demo --schools 200 --students 145000` for the full
scale). For each of three terms (the demo's two and one before them) it opens a city-wide
screening of PHQ-A (11+) and GAD-7 for every grade from P4 up through the campaign services,
then stores the answers of most respondents in bulk (90% in the past terms, 60% in the current
one), each scored by the engine from random answers, and raises an alert for every respondent
in a top band or with a critical answer: closed in the past terms (acknowledged in time or
late), a mix of new, acknowledged and closed in the current one. Bulk inserts, not the submit
path: this builds data to read, bench/submit_load.py measures the writes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xs_dashboard_bench .venv/bin/python bench/dashboard_city.py

Prints what it added, then refreshes PostgreSQL's planner statistics (ANALYZE), as autovacuum
would after such a load. Run it once per database: a second run refuses.
"""
import datetime
import os
import random
import sys
import time
import uuid

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinshao.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from xinshao.access import scopes  # noqa: E402
from xinshao.accounts.models import User  # noqa: E402
from xinshao.alerts.models import Alert, Level, RuleSet  # noqa: E402
from xinshao.campaigns.models import Assignment, Campaign, InstrumentResult, Submission  # noqa: E402
from xinshao.campaigns.services import BatteryChoice, TargetChoice, campaign_create, campaign_open  # noqa: E402
from xinshao.campaigns.submissions import CRITICAL_PREFIX, pinned_definition  # noqa: E402
from xinshao.demo.plan import CITY_CODE  # noqa: E402
from xinshao.org.grades import JUNIOR, PRIMARY, SENIOR, VOCATIONAL  # noqa: E402
from xinshao.org.models import Region, School, Term  # noqa: E402

NAME = "全市心理健康筛查（基准历史）"
LEVELS = PRIMARY[3:] + JUNIOR + SENIOR + VOCATIONAL
BATTERY = [BatteryChoice("phqa", min_age=11), BatteryChoice("gad7")]
BATCH = 5000
TOP_BANDS = {"moderately_severe", "severe"}


def _terms() -> list[Term]:
    """The demo's two terms and one before them, oldest first."""
    terms = list(Term.objects.order_by("starts_on"))
    oldest = terms[0]
    earlier, _made = Term.objects.get_or_create(
        name=f"{oldest.name}（前一学期）",
        defaults={"starts_on": oldest.starts_on - datetime.timedelta(days=182),
                  "ends_on": oldest.starts_on - datetime.timedelta(days=1)})
    return [earlier, *terms[-2:]]


def _open(term: Term, city: Region, admin: User, current: bool) -> Campaign:
    now = timezone.now()
    schools = School.objects.filter(district__parent=city).order_by("code")
    campaign = campaign_create(
        created_by=admin, name=NAME, term=term, audience=Campaign.Audience.STUDENTS,
        consent_rule=Campaign.ConsentRule.OPT_OUT, region=city, opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=14), battery=BATTERY,
        targets=[TargetChoice(school=school, level=level) for school in schools for level in LEVELS
                 if school.teaches(level)])
    campaign = campaign_open(campaign=campaign, actor=admin)
    if not current:  # the services open campaigns now; a past term's screening ran in its own weeks
        opens = timezone.make_aware(datetime.datetime.combine(term.starts_on + datetime.timedelta(days=30),
                                                              datetime.time(8)))
        Campaign.objects.filter(pk=campaign.pk).update(opens_at=opens, closes_at=opens + datetime.timedelta(days=21),
                                                       status=Campaign.Status.CLOSED)
        campaign.refresh_from_db()
    return campaign


def _rare_items(definition) -> set[str]:
    """Items a critical flag reads, and yes/no questions: answered above the lowest option rarely."""
    flagged = {item for flag in definition.data.get("flags", []) if flag["id"].startswith(CRITICAL_PREFIX)
               for item in flag["items"]}
    return flagged | {item.id for item in definition.items if len(item.values) == 2}


def _answers(rng: random.Random, definition, distress: float) -> list:
    """One answer per item, higher options the more distressed the respondent."""
    answers, rare = [], _rare_items(definition)
    for item in definition.items:
        options = sorted(item.values)
        if item.id in rare:
            answers.append(options[1] if rng.random() < distress * 0.15 else options[0])
        else:
            answers.append(options[min(len(options) - 1, int(len(options) * rng.random() ** (1 / distress)))])
    return answers


def _scored(rng: random.Random, assignment: dict, definitions: dict, at) -> tuple[dict, list[dict]]:
    distress = rng.betavariate(1.5, 4.0)  # most answer "not at all" to most items; a few much more
    answers, results = {}, []
    for instrument_id, definition in definitions.items():
        if instrument_id == "phqa" and assignment["age"] < 11:
            continue
        given = _answers(rng, definition, distress)
        outcome = definition.score(given)
        answers[instrument_id] = given
        results.append({"instrument_id": instrument_id, "instrument_version": definition.version,
                        "total": outcome["total"], "band": outcome["band"] or "", "valid": outcome["valid"],
                        "has_critical_flag": any(f["id"].startswith(CRITICAL_PREFIX) for f in outcome["flags"]),
                        "outcome": outcome})
    return answers, results


def _alert_state(rng: random.Random, current: bool) -> str:
    if not current:
        return Alert.State.CLOSED
    return rng.choices([Alert.State.NEW, Alert.State.ACKNOWLEDGED, Alert.State.CLOSED], [2, 3, 5])[0]


def _alert(rng, row: dict, at, current: bool, rule_set: RuleSet, owners: dict) -> Alert:
    state = _alert_state(rng, current)
    due = at + datetime.timedelta(hours=24)
    answered = at + datetime.timedelta(hours=rng.choice([1, 4, 12, 20, 30, 50]))
    acknowledged = state != Alert.State.NEW
    return Alert(student_id=row["student_id"], school_id=row["school_id"],
                 level=Level.RED if row["critical"] else Level.ORANGE, state=state,
                 owner_id=owners.get(row["school_id"]), ack_due_at=due,
                 acknowledged_at=answered if acknowledged else None,
                 acknowledged_by_id=owners.get(row["school_id"]) if acknowledged else None,
                 closed_at=answered + datetime.timedelta(days=10) if state == Alert.State.CLOSED else None,
                 close_reason="基准数据：已跟进" if state == Alert.State.CLOSED else "",
                 rule_set=rule_set, rules_used=f"基准 v{rule_set.version}", created_at=at)


def _store(rng, campaign: Campaign, share: float, current: bool, rule_set: RuleSet, owners: dict) -> tuple[int, int, int]:
    definitions = {entry.instrument_id: pinned_definition(entry.instrument_id, entry.instrument_version)
                   for entry in campaign.battery.all()}
    opened = timezone.localtime(campaign.opens_at).date()
    rows = list(Assignment.objects.filter(campaign=campaign).order_by("pk")
                .values("pk", "student_id", "student__birth_date", "student__school_id"))
    chosen = [row for row in rows if rng.random() < share]
    submissions = results = alerts = 0
    for start in range(0, len(chosen), BATCH):
        batch = chosen[start:start + BATCH]
        with transaction.atomic():
            made, scored, risky = [], [], []
            for row in batch:
                at = campaign.opens_at + datetime.timedelta(minutes=rng.randrange(0, 20 * 24 * 60))
                born = row["student__birth_date"]
                age = opened.year - born.year - ((opened.month, opened.day) < (born.month, born.day))
                answers, outcome = _scored(rng, {"age": age}, definitions, at)
                made.append(Submission(assignment_id=row["pk"], idempotency_key=uuid.uuid4(), answers=answers,
                                       item_seconds={}, received_at=at))
                scored.append((row, outcome, at))
            Submission.objects.bulk_create(made)
            result_rows = []
            for submission, (row, outcome, at) in zip(made, scored):
                for result in outcome:
                    result_rows.append(InstrumentResult(submission_id=submission.pk, campaign_id=campaign.pk,
                                                        student_id=row["student_id"], signals_pending=False, **result))
                if any(r["band"] in TOP_BANDS or r["has_critical_flag"] for r in outcome):
                    risky.append(({"student_id": row["student_id"], "school_id": row["student__school_id"],
                                   "critical": any(r["has_critical_flag"] for r in outcome)}, at))
            InstrumentResult.objects.bulk_create(result_rows)
            Assignment.objects.filter(pk__in=[row["pk"] for row in batch]).update(
                status=Assignment.Status.SUBMITTED, submitted_at=campaign.opens_at, started_at=campaign.opens_at)
            open_students = set(Alert.objects.filter(state__in=Alert.OPEN_STATES).values_list("student_id", flat=True)) \
                if current else set()
            new_alerts = []
            for row, at in risky:
                alert = _alert(rng, row, at, current, rule_set, owners)
                if alert.state in Alert.OPEN_STATES:
                    if row["student_id"] in open_students:  # one open alert per student
                        continue
                    open_students.add(row["student_id"])
                new_alerts.append(alert)
            Alert.objects.bulk_create(new_alerts)
        submissions, results, alerts = submissions + len(made), results + len(result_rows), alerts + len(new_alerts)
    return submissions, results, alerts


def main() -> None:
    if Campaign.objects.filter(name=NAME).exists():
        sys.exit("this database already has the bench history (campaigns named %s)" % NAME)
    rng = random.Random(20261207)
    city = Region.objects.get(code=CITY_CODE)
    admin = User.objects.get(username="bureau.admin")
    rule_set = RuleSet.objects.filter(region=city).order_by("-version").first()
    owners = {school.pk: getattr(scopes.alert_owners_at(school).first(), "pk", None)
              for school in School.objects.filter(district__parent=city)}
    terms = _terms()
    for term in terms:
        started = time.monotonic()
        current = term == terms[-1]
        campaign = _open(term, city, admin, current)
        added = _store(rng, campaign, 0.6 if current else 0.9, current, rule_set, owners)
        print(f"{term.name}: campaign {campaign.pk}, {campaign.assignments.count():,} assignments, "
              f"{added[0]:,} submissions, {added[1]:,} results, {added[2]:,} alerts "
              f"({time.monotonic() - started:.0f} s)", flush=True)
    if connection.vendor == "postgresql":
        # Bulk loads leave the planner's statistics behind (autovacuum would catch up in a while):
        # without them it reads a whole campaign's results for each student the dashboards ask about.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


if __name__ == "__main__":
    main()
