"""A few more students, results, alerts, cases, referrals, follow-ups and calls on the test city, so
every dashboard figure has something to count (and some cells are small enough to hide)."""
import datetime
import uuid
from dataclasses import dataclass

from django.utils import timezone

from xinshao.alerts.models import Alert
from xinshao.alerts.services import city_rule_set
from xinshao.alerts.tests.support import campaign_in, stored_result
from xinshao.campaigns.models import Assignment
from xinshao.cases.models import AgreedAction, Case, FollowUp, Referral, ReferralConsent
from xinshao.cases.services import case_open
from xinshao.hotline.models import Call
from xinshao.org.models import Term
from xinshao.testing import enrolled_student

# PHQ-A answers giving each band (item 9 stays 0: no critical flag).
MINIMAL, MODERATE, MODERATELY_SEVERE = [0] * 9, [2, 2, 2, 2, 2, 0, 0, 0, 0], [3, 3, 3, 3, 3, 0, 0, 0, 0]
DAY = datetime.timedelta(days=1)


@dataclass
class Seeded:
    now: datetime.datetime
    previous: Term
    a1: list  # the extra students of class A1 (girls), A2 (boys)
    a2: list
    gap_student: object  # orange band, no case
    case_student: object  # orange band, open case
    results: list
    alerts: list
    cases: list


def seed(city) -> Seeded:
    now = timezone.now()
    previous = Term.objects.create(name="2025-2026学年第二学期", starts_on=datetime.date(2026, 2, 20),
                                   ends_on=datetime.date(2026, 7, 10))
    a1 = [enrolled_student(city.school_a, city.class_a1, f"A9{n:03}", f"甲一学生{n}", "F", (2013, 1, 1 + n))
          for n in range(7)]
    a2 = [enrolled_student(city.school_a, city.class_a2, f"A8{n:03}", f"甲二学生{n}", "M", (2013, 2, 1 + n))
          for n in range(3)]
    campaign = campaign_in(city)
    answers = [MINIMAL] * 4 + [MODERATE] * 2 + [MODERATELY_SEVERE]
    results = [stored_result(campaign, student, "phqa", given) for student, given in zip(a1, answers)]
    results += [stored_result(campaign, a2[0], "phqa", MODERATELY_SEVERE),
                stored_result(campaign, city.zhou, "phqa", MINIMAL)]
    # Two of A2 were given the screening but have not started it.
    for student in a2[1:]:
        Assignment.objects.create(campaign=campaign, student=student, code_digest=uuid.uuid4().hex, code="T")
    # Last term: two students of A1 screened, one of them moderate.
    old_campaign = campaign_in(city, previous, name="春季筛查")
    results_before = [stored_result(old_campaign, a1[0], "phqa", MODERATE),
                      stored_result(old_campaign, a1[1], "phqa", MINIMAL)]

    rules = city_rule_set(city.region)

    def alert(student, level, *, due, acknowledged=None, created=now - 2 * DAY, state=Alert.State.NEW):
        return Alert.objects.create(student=student, school=student.school, level=level, state=state,
                                    ack_due_at=due, acknowledged_at=acknowledged, rule_set=rules,
                                    rules_used="明州市 v1", created_at=created)
    alerts = [
        alert(a1[6], "orange", due=now - DAY, acknowledged=now - 36 * datetime.timedelta(hours=1),
              state=Alert.State.ACKNOWLEDGED),                                      # in time
        alert(a2[0], "orange", due=now - DAY, acknowledged=now - 3 * datetime.timedelta(hours=1),
              state=Alert.State.ACKNOWLEDGED),                                      # late
        alert(a1[4], "yellow", due=now - DAY),                                       # open past deadline
        alert(a1[5], "yellow", due=now + DAY),                                       # open within deadline
        alert(city.zhou, "red", due=now - DAY),                                      # school B, past deadline
        alert(a1[0], "yellow", due=datetime.datetime(2026, 3, 2, tzinfo=datetime.timezone.utc),
              acknowledged=datetime.datetime(2026, 3, 1, tzinfo=datetime.timezone.utc),
              created=datetime.datetime(2026, 3, 1, tzinfo=datetime.timezone.utc), state=Alert.State.CLOSED),
    ]
    # a2[0] (orange result, orange alert) has an open case; a1[6] (orange result, orange alert) has none.
    case = case_open(student=a2[0], level="orange", reason="测评结果", actor=city.liu_a, now=now - DAY)
    closed = case_open(student=a1[3], level="yellow", reason="家长反映", actor=city.liu_a, now=now - 3 * DAY)
    Case.objects.filter(pk=closed.pk).update(state=Case.State.CLOSED, closed_at=now - DAY)
    following = case_open(student=a1[2], level="yellow", reason="同学反映", actor=city.liu_a, now=now - 3 * DAY)
    Case.objects.filter(pk=following.pk).update(state=Case.State.FOLLOWING_UP)
    written = {"written_by": city.liu_a, "written_at": now - DAY, "written_at_school": city.school_a}
    FollowUp.objects.create(case=following, due_on=timezone.localdate(now) - 2 * DAY, **written)  # overdue
    FollowUp.objects.create(case=following, due_on=timezone.localdate(now) + 7 * DAY, **written)  # not yet
    FollowUp.objects.create(case=closed, due_on=timezone.localdate(now) - 2 * DAY, **written)     # case closed
    consent = ReferralConsent.objects.create(case=case, given_by="家长", relation="父亲", method="signed_form",
                                             given_on=timezone.localdate(now), agency=city.agency, **written)
    Referral.objects.create(case=case, agency=city.agency, consent=consent, urgency="orange", reason="需要评估",
                            respond_by=now - DAY, **written)                              # waiting, overdue
    Referral.objects.create(case=case, agency=city.agency, consent=consent, urgency="orange", reason="复诊",
                            state=Referral.State.ACCEPTED, answered_at=now - DAY, respond_by=now, **written)
    AgreedAction.objects.create(case=following, description="每周与家长通一次电话", assignee=city.zhang_a1,
                                due_on=timezone.localdate(now) - DAY, **written)
    for risk, started in (("high", now - DAY), ("none", now - 2 * DAY), ("none", now - 3 * DAY),
                          ("low", datetime.datetime(2026, 4, 1, tzinfo=datetime.timezone.utc))):
        Call.objects.create(region=city.region, operator=city.re, started_at=started, duration_minutes=5,
                            channel="phone", call_type="help", caller_type="student", risk=risk)
    return Seeded(now=now, previous=previous, a1=a1, a2=a2, gap_student=a1[6], case_student=a2[0],
                  results=results + results_before, alerts=alerts, cases=[case, closed, following])


def table(tables, title_part: str):
    [found] = [t for t in tables if title_part in t.title]
    return found


def cell(found, row: str, column: str) -> str:
    [values] = [r for r in found.rows if r[0] == row]
    return values[found.columns.index(column)]
