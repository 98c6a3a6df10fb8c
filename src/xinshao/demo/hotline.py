"""A month of the city hotline and walk-in centre in the demo city.

About a hundred calls over the last 30 days by the demo operators, in the mix child helplines
report (many information, silent and hang-up calls; some help-seeking; a few abusive or prank
calls), with topics, some follow-up calls and several call-backs owed (one overdue). A few
high-risk calls name a student and raise an alert through the early-warning engine; one is about
the student of the demo's open case and joins its timeline. About twenty families visited the
centre, with follow-up visits and next visits due. The plain calls and visits are written in bulk;
the risky ones go through the services (hotline/services.py), as an operator's would.
"""
import datetime
import random

from django.utils import timezone

from xinshao.accounts.models import User
from xinshao.accounts.roles import Role
from xinshao.cases.models import Case
from xinshao.hotline import services
from xinshao.hotline.models import Call, CallEvent, Topic, Visit, VisitEvent
from xinshao.org.models import Region
from xinshao.people.models import Student

CALLS = 100
VISITS = 20
# (call type, weight): as child helplines count them, most contacts are no help-seeking call.
CALL_TYPES = [("information", 30), ("silent", 18), ("hang_up", 16), ("help", 28), ("abusive", 4), ("prank", 4)]
CALLERS = [("student", 45), ("guardian", 35), ("teacher", 10), ("other", 10)]
CHANNELS = [("phone", 70), ("chat", 25), ("desk", 5)]
RISKS_OF_HELP = [("none", 25), ("low", 45), ("medium", 30)]
SUMMARIES = ["来电人说最近考试压力很大，晚上睡不着。已给出放松建议。", "家长咨询孩子沉迷手机怎么办，介绍了亲子沟通方法。",
             "来电人与同学闹矛盾，情绪低落，倾听并鼓励找班主任谈谈。", "询问市心理中心来访时间和地址。",
             "孩子最近不愿上学，家长很着急，建议来中心面谈。", "来电人说和父母经常吵架，想找人说说。"]
RELATIONS = ["母亲", "父亲", "祖母"]
FAMILY_NAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林"
GIVEN = {"母亲": "丽芳静敏娟燕", "父亲": "强伟军磊勇涛", "祖母": "秀兰桂英淑珍"}
CONCERNS = ["孩子不愿上学，在家整天玩手机。", "孩子情绪低落，说活着没意思。", "亲子冲突，孩子离家出走过一次。",
            "孩子在学校被同学孤立。", "初三升学压力，孩子失眠。"]


def _pick(rng: random.Random, weighted):
    return rng.choices([value for value, _w in weighted], weights=[w for _v, w in weighted])[0]


def seed_hotline(city: Region, now: datetime.datetime, rng: random.Random) -> None:
    operators = list(User.objects.filter(role_assignments__role=Role.HOTLINE_OPERATOR,
                                         role_assignments__region=city).order_by("username"))
    counselors = list(User.objects.filter(role_assignments__role=Role.BUREAU_PSYCH_CENTRE,
                                          role_assignments__region=city).order_by("username"))
    if not operators or not counselors:
        return
    topics = list(Topic.objects.filter(is_active=True))
    calls = _plain_calls(city, now, rng, operators)
    _risky_calls(city, now, rng, operators)
    _visits(city, now, rng, counselors, topics)
    _topics_of(calls, topics, rng)


def _plain_calls(city, now, rng, operators) -> list[Call]:
    rows = []
    for n in range(CALLS):
        started = now - datetime.timedelta(days=30) + datetime.timedelta(minutes=rng.randint(0, 30 * 24 * 60 - 90))
        call_type = _pick(rng, CALL_TYPES)
        help_seeking = call_type in ("help", "information")
        risk = _pick(rng, RISKS_OF_HELP) if call_type == "help" else "none"
        rows.append(Call(
            region=city, operator=rng.choice(operators), started_at=started,
            duration_minutes=rng.randint(8, 45) if help_seeking else rng.randint(0, 2),
            channel=_pick(rng, CHANNELS), call_type=call_type,
            caller_type=_pick(rng, CALLERS) if help_seeking else "other", risk=risk,
            actions=["advice"] + (["appointment"] if risk == "medium" else []) if call_type == "help" else [],
            caller_description="未透露身份" if help_seeking else "", notes=rng.choice(SUMMARIES) if help_seeking else ""))
    rows.sort(key=lambda call: call.started_at)
    # Call-backs owed on the latest help-seeking calls, one of them overdue; older ones done.
    helped = [call for call in rows if call.call_type == "help"]
    for index, call in enumerate(helped[-5:]):
        call.callback_due_at = now + datetime.timedelta(hours=4 + 6 * index) if index else now - datetime.timedelta(hours=3)
        call.started_at = min(call.started_at, call.callback_due_at - datetime.timedelta(hours=2))
    for call in helped[:6]:
        call.callback_due_at = call.started_at + datetime.timedelta(days=1)
        call.callback_done_at, call.callback_done_by = call.callback_due_at - datetime.timedelta(hours=2), call.operator
        call.callback_outcome = "已回电，来电人情况平稳。"
    Call.objects.bulk_create(rows)
    # Follow-up calls: a few later help-seeking calls continue an earlier one by the same kind of caller.
    for first, later in zip(helped[6:10], helped[10:14]):
        if later.started_at > first.started_at:
            Call.objects.filter(pk=later.pk).update(follow_up_of=first)
    CallEvent.objects.bulk_create([CallEvent(call=call, kind="logged", actor=call.operator, at=call.started_at)
                                   for call in rows])
    return rows


def _topics_of(calls: list[Call], topics: list[Topic], rng) -> None:
    through = Call.topics.through
    links = [through(call_id=call.pk, topic_id=topic.pk) for call in calls if call.call_type in ("help", "information")
             for topic in rng.sample(topics, rng.choice((1, 1, 2)))]
    through.objects.bulk_create(links, ignore_conflicts=True)


def _risky_calls(city, now, rng, operators) -> None:
    """A few calls that name a student: high or imminent risk raises an alert; one about the open
    case's student joins its timeline."""
    by_name = {topic.name: topic for topic in Topic.objects.all()}
    hurt = [t for t in (by_name.get("自伤自杀念头"), by_name.get("情绪低落")) if t]
    case = Case.objects.filter(school__district__parent=city).exclude(state=Case.State.CLOSED).select_related(
        "student__school").order_by("opened_at").first()
    taken = {case.student_id} if case else set()
    students = list(Student.objects.filter(school__district__parent=city, status=Student.Status.ENROLLED)
                    .exclude(id__in=taken).exclude(cases__isnull=False).order_by("id")[:400])
    for index, (risk, hours_ago) in enumerate([("imminent", 5), ("high", 30), ("high", 80)]):
        student = students[rng.randrange(len(students))]
        services.call_log(
            operator=operators[index % len(operators)], started_at=now - datetime.timedelta(hours=hours_ago),
            duration_minutes=rng.randint(25, 50), channel="phone", call_type="help", caller_type="student",
            urgency="now" if risk == "imminent" else "soon", risk=risk, actions=["advice", "school"],
            topics=hurt, student=student, school=student.school,
            notes="来电学生说最近总想伤害自己，已稳定情绪并约定回电。", now=now,
            callback_due_at=now + datetime.timedelta(hours=20 - index))
    if case is not None:
        services.call_log(
            operator=operators[0], started_at=now - datetime.timedelta(hours=20), duration_minutes=20,
            channel="phone", call_type="help", caller_type="guardian", risk="low", actions=["advice", "school"],
            topics=hurt[1:], student=case.student, school=case.student.school,
            notes="家长来电，说孩子这几天愿意和家里说话了，询问后续怎么陪伴。", now=now)


def _visits(city, now, rng, counselors, topics) -> None:
    rows = []
    for n in range(VISITS):
        # Office hours, in the city's time.
        visited = timezone.localtime(now - datetime.timedelta(days=rng.randint(1, 29))).replace(
            hour=rng.randint(9, 16), minute=0, second=0, microsecond=0)
        family = "\n".join(f"{relation} {rng.choice(FAMILY_NAMES)}{rng.choice(GIVEN[relation])}"
                           for relation in rng.sample(RELATIONS, rng.choice((1, 1, 2))))
        outcome = rng.choices(["continue", "school", "referred", "closed"], weights=[60, 15, 10, 15])[0]
        next_on = (visited + datetime.timedelta(days=rng.choice((7, 14)))).date() if outcome == "continue" else None
        rows.append(Visit(region=city, visited_at=visited, counselor=counselors[n % len(counselors)],
                          recorded_by=counselors[n % len(counselors)], family_members=family,
                          presenting_concern=rng.choice(CONCERNS), outcome=outcome, next_visit_on=next_on,
                          notes="与家长讨论了陪伴方式，约定下次带孩子一起来。"))
    rows.sort(key=lambda visit: visit.visited_at)
    Visit.objects.bulk_create(rows)
    # The later half of the visits include follow-ups of earlier families (so some threads have several visits).
    for first, later in zip(rows[:4], rows[-4:]):
        if later.visited_at > first.visited_at:
            later.follow_up_of, later.counselor, later.family_members = first, first.counselor, first.family_members
            Visit.objects.filter(pk=later.pk).update(follow_up_of=first, counselor=first.counselor,
                                                     family_members=first.family_members)
            first.outcome, first.next_visit_on = "continue", later.visited_at.date()
            Visit.objects.filter(pk=first.pk).update(outcome="continue", next_visit_on=later.visited_at.date())
    through = Visit.topics.through
    through.objects.bulk_create([through(visit_id=visit.pk, topic_id=rng.choice(topics).pk) for visit in rows])
    VisitEvent.objects.bulk_create([VisitEvent(visit=visit, kind="recorded", actor=visit.recorded_by,
                                               at=visit.visited_at) for visit in rows])
