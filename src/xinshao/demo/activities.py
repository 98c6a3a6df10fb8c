"""Activities entering campus for the demo city (activities/): six outside bodies with one applicant
login each, a register of about twenty applications in every state over the current term, refusals
at some schools, and a teachers' well-being survey answered at some schools through the real
submission path, so the bureau's load page shows real, partly suppressed numbers.

Showcase: "启航" (qihang.applicant) has a lecture approved at S001 today, so a school user's
register lookup for 启航 answers yes at S001 and "not for your school" at S002; the bureau admin
has applications waiting. Deterministic: choices come from the rng passed in.
"""
import datetime
import random
import uuid
from decimal import Decimal

from django.utils import timezone

from xinshao.accounts.models import RoleAssignment, User
from xinshao.accounts.roles import Role
from xinshao.activities import services
from xinshao.activities.models import Application, Refusal
from xinshao.activities.selectors import approved_counts
from xinshao.campaigns.models import Assignment, Campaign
from xinshao.campaigns.rules import battery_for
from xinshao.campaigns.services import BatteryChoice, TargetChoice, campaign_create, campaign_open
from xinshao.campaigns.submissions import pinned_definition, submission_receive
from xinshao.demo.logins import SHOWCASE_SCHOOLS
from xinshao.demo.staff import OUTSIDE_BODIES, applicants, write_users
from xinshao.org.models import OutsideBody, Region, School, Term

PDF = b"%PDF-1.4\n% demo activity programme: schedule, speakers and the material handed out\n%%EOF\n"
DAY = datetime.timedelta(days=1)
# (body index, title, purpose, starts in days from today, lasts days, state, reason); the schools are
# drawn from the rng, the showcase ones where a row says so.
APPLICATIONS = [
    (0, "青春期心理健康讲座", "面向初中学生的青春期心理讲座，约 45 分钟", 0, 0, "approved", "", True),
    (0, "研学旅行行前安全教育", "研学出行前的安全与文明教育", -40, 0, "approved", "", False),
    (0, "暑期研学营招募宣讲", "介绍暑期研学营项目并发放报名表", 12, 0, "rejected", "以招生宣传为主，属商业推广，不予进校。", False),
    (1, "校园话剧《书桌》巡演", "反映学生学习生活的原创话剧", -25, 2, "approved", "", False),
    (1, "经典诵读展演", "与语文课配合的诵读展演", 9, 1, "submitted", "", False),
    (1, "新年音乐会进校园", "新年前的民乐音乐会", 20, 0, "submitted", "", False),
    (2, "青少年科技创新大赛校内选拔", "按市级竞赛通知组织的校内选拔", -55, 5, "approved", "", False),
    (2, "机器人编程体验课", "课后服务时间的编程体验", 5, 10, "approved", "", True),
    (2, "无人机表演与招生说明", "无人机表演，并介绍培训课程", 15, 0, "rejected", "含培训课程推销内容，不予进校。", False),
    (3, "中学生睡眠情况问卷调查", "匿名问卷，约 10 分钟，用于课题研究", -15, 14, "approved", "", False),
    (3, "学生课外负担问卷", "了解学生课外培训负担", 8, 7, "submitted", "", False),
    (3, "家长教育观念调查", "通过学生向家长发放问卷", 14, 7, "rejected", "问卷涉及家庭收入等个人信息，且未说明数据保护措施。", False),
    (3, "教师职业倦怠调研", "教师填写的纸质问卷，约 30 分钟", 10, 10, "withdrawn", "", False),
    (4, "学生意外险宣传", "向学生介绍意外伤害保险", 6, 0, "rejected", "商业保险推销，不予进校。", False),
    (4, "防溺水安全知识讲座", "夏季防溺水安全知识讲座", -70, 0, "withdrawn", "", False),
    (5, "垃圾分类主题讲座", "结合科学课的垃圾分类讲座", -30, 0, "approved", "", False),
    (5, "校园节水行动", "节水宣传与班级节水竞赛", 3, 20, "approved", "", False),
    (5, "世界环境日主题活动", "环境日宣传展板与互动游戏", 25, 0, "submitted", "", False),
    (5, "湿地观鸟进校园", "观鸟知识讲座与校园观鸟", 30, 0, "draft", "", False),
    (1, "亲子阅读分享会", "邀请家长参加的阅读分享会", 35, 0, "draft", "", False),
]
REFUSALS = [
    ("明州博学教育科技有限公司", "课间向学生发放培训班宣传单", Refusal.Ground.NO_APPROVAL),
    ("明州乐学图书有限公司", "在校门口推销课外辅导书", Refusal.Ground.NO_APPROVAL),
    ("明州星光文化传播有限公司", "在未获批准的学校演出", Refusal.Ground.OUTSIDE_SCOPE),
    ("某视力检测机构", "进班做视力筛查并推销眼镜", Refusal.Ground.NO_APPROVAL),
    ("明州启航研学服务有限公司", "在批准日期之外来校宣讲", Refusal.Ground.OUTSIDE_SCOPE),
]
SURVEYED_SCHOOLS = 14
# The share of each surveyed school's staff who answered: most schools many, a few only some, so
# some cells of the load page are small and hidden.
ANSWER_SHARES = (0.2, 0.6, 0.8, 0.9)


def _bodies(city: Region) -> list[OutsideBody]:
    return OutsideBody.objects.bulk_create([
        OutsideBody(name=name, region=city, credit_code=f"91330200MA2{index:07d}", contact_person="",
                    contact_phone=f"0574-8800{index:04d}") for index, (name, _kind, _user) in enumerate(OUTSIDE_BODIES)])


def _file(*, applicant, body_kind, title, purpose, schools, starts_on, days, state, reason, admin, now):
    """Write one application through the services, each step at a plausible past moment."""
    filed_at = now - datetime.timedelta(days=max(20, (now.date() - starts_on).days + 20))
    application = services.application_save(
        actor=applicant, title=title, kind=body_kind, purpose=purpose, schools=schools, starts_on=starts_on,
        ends_on=starts_on + days * DAY, participants=60 * len(schools) + 40, teacher_hours=Decimal(len(schools) * 2),
        contact_person=applicant.display_name, contact_phone=applicant.phone or "0574-88000000", now=filed_at)
    if state == Application.State.DRAFT:
        return application
    services.material_add(application=application, name=f"{title}活动方案.pdf", content=PDF, actor=applicant,
                          now=filed_at)
    services.application_submit(application=application, actor=applicant, now=filed_at + DAY)
    decided_at = filed_at + 3 * DAY
    if state in (Application.State.APPROVED, Application.State.WITHDRAWN):
        services.application_review(application=application, approve=True, reason="同意，请按方案实施，不得推销。",
                                    actor=admin, now=decided_at)
    elif state == Application.State.REJECTED:
        services.application_review(application=application, approve=False, reason=reason, actor=admin,
                                    now=decided_at)
    if state == Application.State.WITHDRAWN:
        services.application_withdraw(application=application, actor=applicant, now=decided_at + DAY)
    return application


def _staff_of(school: School, role: str) -> User | None:
    return User.objects.filter(role_assignments__school=school, role_assignments__role=role).order_by("id").first()


def _answers(rng: random.Random, assignment: Assignment, strain: float) -> dict:
    """Answers a teacher under `strain` (0 calm … 1 very strained) might give, for each instrument."""
    answers, seconds = {}, {}
    for entry in battery_for(assignment):
        definition = pinned_definition(entry.instrument_id, entry.instrument_version)
        values = []
        for item in definition.items:
            top = max(item.values)
            level = min(top, max(0, round(rng.gauss(strain * top, 0.8))))
            # WHO-5 asks about good days (high is well); PSS-10's reversed items ask about coping.
            well = entry.instrument_id == "who5" or item.reverse
            values.append(top - level if well else level)
        answers[entry.instrument_id] = values
        seconds[entry.instrument_id] = [rng.randint(3, 10) for _ in definition.items]
    return {"key": str(uuid.UUID(int=rng.getrandbits(128))), "answers": answers, "seconds": seconds}


def _survey(city: Region, term: Term, schools: list[School], load: dict[int, int], admin, now, rng) -> Campaign:
    campaign = campaign_create(
        created_by=admin, name=f"{term.name}教师心理健康自评", audience=Campaign.Audience.TEACHERS, term=term,
        opens_at=now - 20 * DAY, closes_at=now + 10 * DAY, consent_rule=Campaign.ConsentRule.NOT_REQUIRED,
        region=city, battery=[BatteryChoice("pss10"), BatteryChoice("who5")],
        targets=[TargetChoice(school=school) for school in schools])
    campaign_open(campaign=campaign, actor=admin)
    # The teacher login printed for each showcase school keeps the survey still to do.
    keep = {f"{school.code.lower()}.teacher1" for school in schools}
    for school in schools:
        staff = (Assignment.objects.filter(campaign=campaign, teacher__role_assignments__school=school)
                 | Assignment.objects.filter(campaign=campaign, teacher__role_assignments__school_class__school=school))
        staff = list(staff.exclude(teacher__username__in=keep).distinct().order_by("teacher__username"))
        answering = staff[:round(len(staff) * rng.choice(ANSWER_SHARES))]
        # Schools with more activities this term have more strained teachers.
        strain = min(0.65, 0.3 + 0.07 * load.get(school.pk, 0))
        for assignment in answering:
            personal = min(1.0, max(0.0, rng.gauss(strain, 0.2)))
            submission_receive(assignment_id=assignment.pk, payload=_answers(rng, assignment, personal))
    return campaign


def seed_activities(city: Region, now: datetime.datetime, rng: random.Random) -> None:
    admin = User.objects.filter(username="bureau.admin").first()
    schools = list(School.objects.filter(district__parent=city, is_active=True).order_by("code"))
    term = Term.objects.filter(starts_on__lte=now.date(), ends_on__gte=now.date()).first()
    if admin is None or len(schools) <= SHOWCASE_SCHOOLS or term is None:
        return
    bodies = _bodies(city)
    write_users(applicants(rng, bodies))
    people = {a.outside_body_id: a.user for a in RoleAssignment.objects.filter(
        outside_body__in=bodies).select_related("user")}
    for body in bodies:
        body.contact_person = people[body.pk].display_name
    OutsideBody.objects.bulk_update(bodies, ["contact_person"])
    showcase, others = schools[:SHOWCASE_SCHOOLS], schools[SHOWCASE_SCHOOLS:]
    today = timezone.localdate(now)
    for body_index, title, purpose, starts_in, days, state, reason, at_showcase in APPLICATIONS:
        body = bodies[body_index]
        chosen = rng.sample(others, k=min(len(others), rng.randint(1, 6)))
        chosen = [showcase[0], *chosen] if at_showcase else chosen
        _file(applicant=people[body.pk], body_kind=OUTSIDE_BODIES[body_index][1], title=title, purpose=purpose,
              schools=chosen, starts_on=today + starts_in * DAY, days=days, state=state, reason=reason, admin=admin,
              now=now)
    # Refusals: both showcase schools and some others, on days of this term up to today.
    first_day = max(term.starts_on, today - 80 * DAY)
    refusing = [*showcase, *rng.sample(others, k=min(len(others), 8))]
    for school in refusing:
        recorder = _staff_of(school, Role.SCHOOL_ADMIN)
        if recorder is None:
            continue
        for body_name, activity, ground in rng.sample(REFUSALS, k=rng.randint(1, 3)):
            numbered = Application.objects.filter(body__name=body_name, approval_number__isnull=False).first()
            services.refusal_record(
                school=school, body_name=body_name, activity=activity, ground=ground,
                happened_on=first_day + rng.randint(0, (today - first_day).days) * DAY,
                application=numbered if ground == Refusal.Ground.OUTSIDE_SCOPE else None,
                note="已请对方先向教育局申报。", actor=recorder, now=now)
    # Teachers' well-being: the showcase schools and those with the most activities this term.
    load = approved_counts(term, [school.pk for school in schools])
    busiest = sorted(others, key=lambda school: (-load.get(school.pk, 0), school.code))
    surveyed = [*showcase, *busiest[:SURVEYED_SCHOOLS - SHOWCASE_SCHOOLS]]
    _survey(city, term, surveyed, load, admin, now, rng)
