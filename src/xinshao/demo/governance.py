"""Inspections for the demo city (governance/): the year's plan with one closed round over every
school and one round in progress, inspector1 and inspector2 sharing the schools, findings and
rectification items in every state, so the inspector's, the bureau's and the schools' pages show
real work. Deterministic: results come from the rng passed in.

In the showcase schools (S001, S002): S001 has an item submitted with evidence waiting for
inspector1's sign-off and one signed off; S002 has one overdue.
"""
import datetime
import random

from django.utils import timezone

from xinshao.accounts.models import User
from xinshao.governance import services
from xinshao.governance.checklist_seed import seed_checklist
from xinshao.governance.models import InspectionRound, Result, SchoolVisit
from xinshao.org.models import Region, School

PDF = b"%PDF-1.4\n% demo evidence: the new timetable with a mental-health lesson every other week\n%%EOF\n"
REQUIREMENTS = {
    Result.NOT_MET: "一个月内补齐，并报送整改材料",
    Result.PARTLY: "完善相关制度和记录，报送整改材料",
}


def _result(rng: random.Random) -> str:
    roll = rng.random()
    return Result.MEETS if roll < 0.72 else Result.PARTLY if roll < 0.9 else Result.NOT_MET if roll < 0.97 \
        else Result.NOT_APPLICABLE


def _visit_all(visit: SchoolVisit, items, rng, *, actor, on: datetime.date, now) -> None:
    results = {item.pk: (_result(rng), "") for item in items}
    services.visit_record(visit=visit, results=results, actor=actor, completed_on=on, now=now)


def _staff(school: School, role: str) -> User | None:
    return User.objects.filter(role_assignments__school=school, role_assignments__role=role).order_by("id").first()


def seed_governance(city: Region, now: datetime.datetime, rng: random.Random) -> InspectionRound | None:
    admin = User.objects.filter(username="bureau.admin").first()
    inspectors = list(User.objects.filter(username__in=["inspector1", "inspector2"]).order_by("username"))
    schools = School.objects.filter(district__parent=city)
    if admin is None or not inspectors or not schools.exists():
        return None
    today = timezone.localdate(now)
    checklist = seed_checklist()
    plan = services.plan_create(year=today.year, name=f"{today.year} 年度学校心理健康工作督查计划", actor=admin)
    days = datetime.timedelta(days=1)

    # The closed round: every school visited 60-90 days ago, findings, rectification items.
    opened_at = now - 90 * days
    closed = services.round_create(plan=plan, name="第三轮督查", starts_on=today - 90 * days, ends_on=today - 60 * days,
                                   checklist=checklist, schools=schools, inspectors=inspectors, actor=admin,
                                   now=opened_at)
    services.round_advance(round=closed, to=InspectionRound.State.IN_PROGRESS, actor=admin, now=opened_at)
    items = list(closed.items.all())
    rectifications = []
    for index, visit in enumerate(closed.visits.select_related("school", "inspector").order_by("school__code")):
        on = today - (89 - index % 28) * days
        visit_now = now - (89 - index % 28) * days
        _visit_all(visit, items, rng, actor=visit.inspector, on=on, now=visit_now)
        for finding in visit.findings.filter(result__in=list(REQUIREMENTS)).select_related("item")[:2]:
            rectifications.append(services.rectification_open(
                finding=finding, requirement=f"{finding.item.text.split('：')[0]}：{REQUIREMENTS[finding.result]}",
                deadline=on + 30 * days, actor=visit.inspector, now=visit_now))
    # Most items were answered and signed off; the rest are past their deadline.
    for position, item in enumerate(rectifications):
        if position % 4 == 3:
            continue
        school_user = _staff(item.school, "psych_teacher") or _staff(item.school, "school_admin")
        if school_user is None:
            continue
        answered = timezone.make_aware(datetime.datetime.combine(item.deadline - 5 * days, datetime.time(10)))
        services.evidence_add(rectification=item, name="整改材料.pdf", content=PDF, actor=school_user, now=answered)
        services.rectification_submit(rectification=item, note="已按要求完成整改，材料见附件。", actor=school_user,
                                      now=answered)
        services.rectification_review(rectification=item, accept=True, actor=item.finding.visit.inspector,
                                      now=answered + days)
    services.round_advance(round=closed, to=InspectionRound.State.CLOSED, actor=admin, now=now - 55 * days)

    # The round in progress: started ten days ago, the first schools visited.
    started = now - 10 * days
    current = services.round_create(plan=plan, name="第四轮督查", starts_on=today - 10 * days, ends_on=today + 40 * days,
                                    checklist=checklist, schools=schools, inspectors=inspectors, actor=admin,
                                    now=started)
    services.round_advance(round=current, to=InspectionRound.State.IN_PROGRESS, actor=inspectors[0], now=started)
    items = list(current.items.all())
    visits = list(current.visits.select_related("school", "inspector").order_by("school__code"))
    for index, visit in enumerate(visits[:max(2, len(visits) * 2 // 3)]):
        _visit_all(visit, items, rng, actor=visit.inspector, on=today - (8 - index) * days, now=now - (8 - index) * days)
    _showcase(current, items, now, today)
    return current


def _showcase(current: InspectionRound, items, now, today) -> None:
    """S001: one item submitted with evidence, waiting for sign-off, and one signed off;
    S002: one item overdue (its deadline passed yesterday). All opened by the visit's inspector."""
    days = datetime.timedelta(days=1)
    visits = {visit.school.code: visit for visit in current.visits.select_related("school", "inspector")}
    for code, plan in (("S001", [(0, Result.NOT_MET, "submitted"), (2, Result.PARTLY, "signed_off")]),
                       ("S002", [(4, Result.PARTLY, "overdue")])):
        visit = visits.get(code)
        if visit is None:
            continue
        school_user = _staff(visit.school, "psych_teacher") or _staff(visit.school, "school_admin")
        visited = now - 9 * days
        results = {item.pk: (Result.MEETS, "") for item in items}
        notes = {0: "课表中初二年级未安排心理健康教育课", 2: "心理辅导室开放时间未公示", 4: "危机干预预案未组织演练"}
        for index, result, _ in plan:
            results[items[index].pk] = (result, notes[index])
        services.visit_record(visit=visit, results=results, actor=visit.inspector, completed_on=today - 9 * days,
                              now=visited)
        for index, _result_, state in plan:
            finding = visit.findings.get(item=items[index])
            deadline = today - days if state == "overdue" else today + 20 * days
            item = services.rectification_open(finding=finding, requirement=REQUIREMENTS[finding.result],
                                               deadline=deadline, actor=visit.inspector, now=visited)
            if state == "overdue" or school_user is None:
                continue
            services.evidence_add(rectification=item, name="整改后课表.pdf", content=PDF, actor=school_user,
                                  now=now - 2 * days)
            services.rectification_submit(rectification=item, note="已调整课表，初二每两周一节心理健康教育课。",
                                          actor=school_user, now=now - 2 * days)
            if state == "signed_off":
                services.rectification_review(rectification=item, accept=True, actor=visit.inspector, now=now - days)
