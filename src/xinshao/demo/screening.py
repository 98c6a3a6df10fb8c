"""A screening under way in the demo city, so the campaign pages and early warning have real results.

In the second showcase school (a junior school), its psych teacher's autumn screening of 初一:
PHQ-A, GAD-7 and ASQ, opened two days ago, open for five more. Most of the first class has
answered, through the same path as a phone (`submission_receive`): mostly calm answers, a few
with moderate low mood or anxiety, and one student who answered ASQ question 2 "是", whose red alert waits
in the psych teacher's inbox with its reason in words. Students who can sign in have not
answered yet, so a student's login still has a questionnaire to do.
"""
import datetime
import random
import uuid

from xinshao.accounts.models import RoleAssignment
from xinshao.accounts.roles import Role
from xinshao.alerts.screening import screening_sweep
from xinshao.campaigns.models import Assignment, Campaign
from xinshao.campaigns.rules import battery_for
from xinshao.campaigns.services import BatteryChoice, TargetChoice, campaign_create, campaign_open
from xinshao.campaigns.submissions import pinned_definition, submission_receive
from xinshao.demo.logins import SHOWCASE_SCHOOLS
from xinshao.org.models import Region, School, Term

LEVEL = "J1"
ANSWERED_SHARE = 0.8  # of the first class; the rest (and every other class) have not answered yet
SECONDS_PER_ITEM = (3, 12)
# The leading items a calm answer varies (PHQ-A's and GAD-7's symptom items); the rest (PHQ-A's
# item 9 and suicide questions, GAD-7's difficulty question, ASQ) stay 0 unless a concern sets them.
SYMPTOM_ITEMS = {"phqa": 8, "gad7": 7}
# (instrument, answers) written over a calm battery for the first students, in this order.
CONCERNS = [
    {"asq": [0, 1, 0, 0, 0]},                                  # "better off dead" in the past weeks: red
    {"phqa": [2, 2, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0]},         # PHQ-A 14, moderate: yellow
    {"phqa": [2, 1, 2, 2, 1, 2, 1, 1, 0, 0, 0, 0, 0], "gad7": [2, 2, 1, 2, 1, 1, 1, 1]},
]


def _answers(rng: random.Random, assignment: Assignment, concern: dict) -> dict:
    """A calm battery (mostly 0, some 1 on symptom items), with the concern's answers where it has them."""
    answers, seconds = {}, {}
    for entry in battery_for(assignment):
        definition = pinned_definition(entry.instrument_id, entry.instrument_version)
        count = len(definition.items)
        varied = SYMPTOM_ITEMS.get(entry.instrument_id, 0)
        calm = [int(rng.random() < 0.2) for _ in range(varied)] + [0] * (count - varied)
        answers[entry.instrument_id] = concern.get(entry.instrument_id, calm)
        seconds[entry.instrument_id] = [rng.randint(*SECONDS_PER_ITEM) for _ in range(count)]
    if not any(answers.get("asq", [0])[:4]):
        answers["asq"][4] = None  # question 5 is not asked after four noes (the published branching)
    return {"key": str(uuid.uuid4()), "answers": answers, "seconds": seconds}


def seed_screening(city: Region, now: datetime.datetime, rng: random.Random) -> Campaign | None:
    """In the first showcase school with 初一 and a psych teacher; None if there is none."""
    showcase = School.objects.filter(district__parent=city).order_by("code")[:SHOWCASE_SCHOOLS]
    school = School.objects.filter(pk__in=[school.pk for school in showcase], grades__level=LEVEL,
                                   roleassignment__role=Role.PSYCH_TEACHER).order_by("code").first()
    if school is None:
        return None
    psych_teacher = RoleAssignment.objects.filter(role=Role.PSYCH_TEACHER, school=school).select_related("user").first()
    term = Term.objects.filter(starts_on__lte=now.date()).order_by("-starts_on").first()
    if term is None:
        return None
    campaign = campaign_create(
        created_by=psych_teacher.user, name="2026秋季初一心理筛查", audience=Campaign.Audience.STUDENTS, term=term,
        opens_at=now - datetime.timedelta(days=2), closes_at=now + datetime.timedelta(days=5),
        consent_rule=Campaign.ConsentRule.OPT_OUT, school=school,
        battery=[BatteryChoice("phqa", min_age=11), BatteryChoice("gad7"), BatteryChoice("asq")],
        targets=[TargetChoice(school=school, level=LEVEL)],
    )
    campaign_open(campaign=campaign, actor=psych_teacher.user)
    with_login = RoleAssignment.objects.filter(student__isnull=False).values("student_id")
    first_class = (campaign.assignments.order_by("student__school_class_id")
                   .values_list("student__school_class_id", flat=True).first())
    answering = list(campaign.assignments.filter(student__school_class_id=first_class)
                     .exclude(student_id__in=with_login).select_related("student").order_by("student__student_number"))
    answering = answering[:round(len(answering) * ANSWERED_SHARE)]
    for position, assignment in enumerate(answering):
        concern = CONCERNS[position] if position < len(CONCERNS) else {}
        submission_receive(assignment_id=assignment.pk, payload=_answers(rng, assignment, concern))
    # The demo is written in one transaction, so the alerts are raised here rather than after its commit.
    screening_sweep()
    return campaign
