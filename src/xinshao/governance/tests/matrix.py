"""Governance objects for the access matrix: one round in progress over both schools, and per side
the school's visit, a finding below "meets", its rectification item and a piece of evidence."""
import datetime

from django.utils import timezone

from xinshao.access.tests.matrix_objects import Thing
from xinshao.governance import services
from xinshao.governance.checklist_seed import seed_checklist
from xinshao.governance.models import InspectionPlan, InspectionRound, Result, SchoolVisit
from xinshao.org.models import School

PDF = b"%PDF-1.4\n% matrix evidence\n"


def _round(city):
    existing = InspectionRound.objects.filter(name="矩阵督查").first()
    if existing:
        return existing
    checklist = seed_checklist()
    plan = InspectionPlan.objects.filter(year=2026).first() or services.plan_create(
        year=2026, name="2026 年度督查", actor=city.bai)
    today = timezone.localdate()
    round_ = services.round_create(
        plan=plan, name="矩阵督查", starts_on=today, ends_on=today + datetime.timedelta(days=30), checklist=checklist,
        schools=School.objects.filter(pk__in=[city.school_a.pk, city.school_b.pk]), inspectors=[city.du],
        actor=city.bai)
    return services.round_advance(round=round_, to=InspectionRound.State.IN_PROGRESS, actor=city.bai)


def matrix_side(city, side, objects):
    round_ = _round(city)
    school, staff = (city.school_a, city.liu_a) if side == "A" else (city.school_b, city.wang_b)
    visit = SchoolVisit.objects.get(round=round_, school=school)
    item = round_.items.first()
    services.visit_record(visit=visit, results={item.pk: (Result.NOT_MET, "矩阵")}, actor=city.du)
    finding = visit.findings.get(item=item)
    rectification = services.rectification_open(finding=finding, requirement="按要求整改",
                                                deadline=timezone.localdate() + datetime.timedelta(days=14),
                                                actor=city.du)
    evidence = services.evidence_add(rectification=rectification, name="整改.pdf", content=PDF, actor=staff)
    return {
        "round_id": Thing(round_.pk),
        "visit_id": Thing(visit.pk),
        "finding_id": Thing(finding.pk),
        "rectification_id": Thing(rectification.pk),
        "evidence_id": Thing(evidence.pk),
        "checklist_id": Thing(round_.checklist_id),
        "checklist_item_id": Thing(round_.checklist.items.first().pk),
    }
