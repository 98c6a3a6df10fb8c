"""Checklists copied per round, findings, rectification (open → evidence → submit → return /
sign-off), overdue notices with the clock moved, and the round summary against counts made here."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from xinshao.audit.models import AuditEntry
from xinshao.governance import selectors, services
from xinshao.governance.checklist_seed import SCHOOL_SERVICE_CHECKLIST, seed_checklist
from xinshao.governance.models import GovernanceEvent, Rectification, Result, SchoolVisit
from xinshao.notifications.models import Notification

from .conftest import PDF

pytestmark = pytest.mark.django_db


def _visit(round_, school):
    return SchoolVisit.objects.get(round=round_, school=school)


def _rectification(city, round_, school, *, deadline_days=14, item_index=0, result=Result.NOT_MET):
    visit = _visit(round_, school)
    item = list(round_.items.all())[item_index]
    services.visit_record(visit=visit, results={item.pk: (result, "课表中没有心理课")}, actor=city.du)
    return services.rectification_open(
        finding=visit.findings.get(item=item), requirement="每个年级每两周开设一节心理健康教育课",
        deadline=timezone.localdate() + datetime.timedelta(days=deadline_days), actor=city.du)


def test_a_round_keeps_its_own_copy_of_the_checklist(city, inspection_round):
    checklist = seed_checklist()
    first = checklist.items.first()
    services.checklist_item_save(checklist=checklist, item=first, category="课程", text="改过的条目",
                                 evidence_required=False, actor=city.bai)
    services.checklist_item_save(checklist=checklist, category="新", text="新加的条目", evidence_required=False,
                                 actor=city.du)
    texts = list(inspection_round.items.values_list("text", flat=True))
    assert texts == [text for _, text, _ in SCHOOL_SERVICE_CHECKLIST]
    assert inspection_round.checklist_name == checklist.name


def test_schools_are_shared_out_to_every_inspector_of_the_round(city, inspection_round):
    assert set(inspection_round.visits.values_list("school_id", "inspector_id")) == {
        (city.school_a.pk, city.du.pk), (city.school_b.pk, city.du.pk)}
    assert GovernanceEvent.objects.filter(round=inspection_round, kind="round_create").count() == 1


def test_a_visit_is_completed_only_when_every_item_has_a_result(city, inspection_round):
    visit = _visit(inspection_round, city.school_a)
    items = list(inspection_round.items.all())
    with pytest.raises(ValidationError):
        services.visit_record(visit=visit, results={items[0].pk: (Result.MEETS, "")}, actor=city.du,
                              completed_on=timezone.localdate())
    services.visit_record(visit=visit, results={item.pk: (Result.MEETS, "") for item in items}, actor=city.du,
                          completed_on=timezone.localdate())
    visit.refresh_from_db()
    assert visit.state == SchoolVisit.State.COMPLETED and visit.findings.count() == len(items)
    assert AuditEntry.objects.filter(action="governance.visit_complete", object_id=str(visit.pk)).count() == 1


def test_findings_are_not_recorded_in_a_round_that_has_not_started(city, inspection_round):
    services.round_advance(round=inspection_round, to="closed", actor=city.du)
    visit = _visit(inspection_round, city.school_a)
    with pytest.raises(ValidationError):
        services.visit_record(visit=visit, results={inspection_round.items.first().pk: (Result.MEETS, "")},
                              actor=city.du)
    with pytest.raises(ValidationError):
        services.round_advance(round=inspection_round, to="in_progress", actor=city.du)


def test_only_a_finding_below_meets_opens_a_rectification(city, inspection_round):
    visit = _visit(inspection_round, city.school_a)
    item = inspection_round.items.first()
    services.visit_record(visit=visit, results={item.pk: (Result.MEETS, "")}, actor=city.du)
    with pytest.raises(ValidationError):
        services.rectification_open(finding=visit.findings.get(), requirement="无", actor=city.du,
                                    deadline=timezone.localdate())


def test_the_rectification_flow_from_open_to_sign_off(city, inspection_round):
    item = _rectification(city, inspection_round, city.school_a)
    assert Notification.objects.filter(recipient__in=[city.liu_a, city.song_a], topic="governance.rectification").count() == 2
    # Evidence is required by this checklist item: no submitting without it.
    with pytest.raises(ValidationError):
        services.rectification_submit(rectification=item, note="已经排课", actor=city.liu_a)
    services.evidence_add(rectification=item, name="课表.pdf", content=PDF, actor=city.liu_a)
    services.rectification_submit(rectification=item, note="已经排课", actor=city.liu_a)
    services.rectification_review(rectification=item, accept=False, reason="课表缺少初三年级", actor=city.du)
    item.refresh_from_db()
    assert item.state == Rectification.State.RETURNED and item.return_reason == "课表缺少初三年级"
    services.rectification_submit(rectification=item, note="已补上初三年级", actor=city.song_a)
    services.rectification_review(rectification=item, accept=True, actor=city.du)
    item.refresh_from_db()
    assert item.state == Rectification.State.SIGNED_OFF and item.signed_off_at is not None
    kinds = list(item.events.values_list("kind", flat=True))
    assert kinds == ["rectification_open", "evidence_add", "rectification_submit", "rectification_return",
                     "rectification_submit", "rectification_sign_off"]
    audited = AuditEntry.objects.filter(object_type="governance.rectification", object_id=str(item.pk))
    assert audited.count() == len(kinds)
    with pytest.raises(ValidationError):  # a signed-off item stays signed off
        services.evidence_add(rectification=item, name="再来.pdf", content=PDF, actor=city.liu_a)


def test_another_school_cannot_answer_an_item(city, inspection_round):
    item = _rectification(city, inspection_round, city.school_a)
    with pytest.raises(ValidationError):
        services.evidence_add(rectification=item, name="x.pdf", content=PDF, actor=city.wang_b)
    with pytest.raises(ValidationError):
        services.rectification_review(rectification=item, accept=True, actor=city.xin)  # the psych centre only reads


def test_an_overdue_item_is_told_to_its_school_once(city, inspection_round):
    item = _rectification(city, inspection_round, city.school_a, deadline_days=3)
    done = _rectification(city, inspection_round, city.school_b, deadline_days=3)
    services.evidence_add(rectification=done, name="课表.pdf", content=PDF, actor=city.wang_b)
    services.rectification_submit(rectification=done, note="已整改", actor=city.wang_b)
    services.rectification_review(rectification=done, accept=True, actor=city.du)
    assert services.rectifications_notify_overdue() == 0  # not yet past the deadline
    later = timezone.now() + datetime.timedelta(days=5)
    assert services.rectifications_notify_overdue(now=later) == 1
    assert services.rectifications_notify_overdue(now=later + datetime.timedelta(days=1)) == 0
    told = Notification.objects.filter(topic="governance.overdue")
    assert {n.recipient_id for n in told} == {city.liu_a.pk, city.song_a.pk} and told.count() == 2
    assert "西山中学" not in told.first().body and item.school.name in told.first().body
    item.refresh_from_db()
    assert item.overdue_notified_at == later
    assert item.events.filter(kind="rectification_overdue").count() == 1


def test_the_round_summary_matches_counts_made_here(city, inspection_round):
    items = list(inspection_round.items.all())
    visit_a, visit_b = _visit(inspection_round, city.school_a), _visit(inspection_round, city.school_b)
    results_a = {item.pk: (Result.MEETS, "") for item in items} | {items[0].pk: (Result.NOT_MET, ""),
                                                                     items[1].pk: (Result.PARTLY, "")}
    services.visit_record(visit=visit_a, results=results_a, actor=city.du, completed_on=timezone.localdate())
    services.visit_record(visit=visit_b, results={items[0].pk: (Result.PARTLY, ""), items[2].pk: (Result.NOT_APPLICABLE, "")},
                          actor=city.du)
    a0 = services.rectification_open(finding=visit_a.findings.get(item=items[0]), requirement="开课", actor=city.du,
                                     deadline=timezone.localdate() + datetime.timedelta(days=1))
    services.rectification_open(finding=visit_a.findings.get(item=items[1]), requirement="配备教师", actor=city.du,
                                deadline=timezone.localdate() + datetime.timedelta(days=60))
    b0 = services.rectification_open(finding=visit_b.findings.get(item=items[0]), requirement="开课", actor=city.du,
                                     deadline=timezone.localdate() + datetime.timedelta(days=1))
    services.evidence_add(rectification=b0, name="课表.png", content=b"\x89PNG\r\n\x1a\n....", actor=city.wang_b)
    services.rectification_submit(rectification=b0, note="已开课", actor=city.wang_b)
    services.rectification_review(rectification=b0, accept=True, actor=city.du)

    summary = selectors.round_summary(inspection_round, now=timezone.now() + datetime.timedelta(days=3))
    assert (summary.schools, summary.visited) == (2, 1)
    by_text = {line.item.text: line.counts for line in summary.items}
    assert by_text[items[0].text] == {"meets": 0, "partly": 1, "not_met": 1, "na": 0}
    assert by_text[items[1].text] == {"meets": 0, "partly": 1, "not_met": 0, "na": 0}
    assert by_text[items[2].text] == {"meets": 1, "partly": 0, "not_met": 0, "na": 1}
    assert (summary.open, summary.overdue, summary.signed_off) == (2, 1, 1)
    districts = {line.name: (line.schools, line.visited, line.open, line.overdue, line.signed_off)
                 for line in summary.districts}
    assert districts == {city.district_a.name: (1, 1, 2, 1, 0), city.district_b.name: (1, 0, 0, 0, 1)}
    assert a0.pk  # school A's overdue item is the one counted overdue
