"""Staff access to children's data is granted by approval and recorded: who approved whom for
which school and why; a pending request grants nothing."""
import pytest
from django.urls import reverse

from xinshao.accounts.admin import RoleAssignmentForm
from xinshao.accounts.models import RoleAssignment
from xinshao.accounts.roles import TWO_FACTOR_ROLES, Role
from xinshao.audit.models import AuditEntry
from xinshao.compliance import services
from xinshao.compliance.models import AccessEvent, AccessRequest
from xinshao.compliance.tests.support import other_city_admin, person


@pytest.fixture
def newcomer(db):
    return person("xu_new")


def _ask(client, **data):
    return client.post(reverse("compliance:request_new"), {"reason": "新学期担任兼职心理教师", **data})


def _chen(client, city):
    """Chen's record: the page a psych teacher or class teacher of school A reaches."""
    return client.get(reverse("people:student_detail", args=[city.chen.pk]))


def test_a_pending_request_grants_no_access_until_a_bureau_admin_approves(city, client_as, newcomer, client):
    response = _ask(client_as(city.song_a), username="xu_new", role=Role.PSYCH_TEACHER, school=city.school_a.pk)
    grant = AccessRequest.objects.get(user=newcomer)
    assert response.status_code == 302 and grant.state == AccessRequest.State.PENDING
    assert not RoleAssignment.objects.filter(user=newcomer).exists()
    assert _chen(client_as(newcomer), city).status_code == 404

    response = client_as(city.bai).post(reverse("compliance:request_approve", args=[grant.pk]), {"note": "已核实聘书"})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.state == AccessRequest.State.APPROVED and grant.decided_by == city.bai
    page = _chen(client_as(newcomer), city)
    assert page.status_code == 200 and city.chen.name in page.content.decode()
    assert client_as(newcomer).get(reverse("people:student_detail", args=[city.zhou.pk])).status_code == 404
    assert list(grant.events.values_list("kind", "actor__username", "note")) == [
        ("requested", "song_a", "新学期担任兼职心理教师"), ("approved", "bai", "已核实聘书")]
    assert set(AuditEntry.objects.filter(object_type="compliance.accessrequest", object_id=str(grant.pk))
               .values_list("action", flat=True)) == {"compliance.access_requested", "compliance.access_approved"}


def test_the_requester_cannot_approve_their_own_request(city, client_as, newcomer):
    grant = services.access_request(requested_by=city.bai, user=newcomer, role=Role.HOTLINE_OPERATOR,
                                    unit=city.region, reason="热线扩编")
    client = client_as(city.bai)
    response = client.post(reverse("compliance:request_approve", args=[grant.pk]), follow=True)
    assert "不能审批自己提出的申请" in response.content.decode()
    grant.refresh_from_db()
    assert grant.state == AccessRequest.State.PENDING and not RoleAssignment.objects.filter(user=newcomer).exists()

    second = person("bai2", Role.BUREAU_ADMIN, region=city.region)
    services.access_approve(access_request=grant, actor=second)
    assert RoleAssignment.objects.get(user=newcomer).role == Role.HOTLINE_OPERATOR


def test_no_one_approves_access_for_themself(city, newcomer):
    grant = services.access_request(requested_by=city.song_a, user=city.bai, role=Role.PSYCH_TEACHER,
                                    unit=city.school_a, reason="兼任")
    with pytest.raises(Exception, match="不能审批给自己的授权"):
        services.access_approve(access_request=grant, actor=city.bai)


def test_an_approver_of_another_region_gets_404(city, client_as, newcomer):
    grant = services.access_request(requested_by=city.song_a, user=newcomer, role=Role.PSYCH_TEACHER,
                                    unit=city.school_a, reason="兼职")
    client = client_as(other_city_admin())
    assert client.post(reverse("compliance:request_approve", args=[grant.pk])).status_code == 404
    assert client.get(reverse("compliance:request", args=[grant.pk])).status_code == 404
    assert newcomer.username not in client.get(reverse("compliance:pending")).content.decode()
    grant.refresh_from_db()
    assert grant.state == AccessRequest.State.PENDING


def test_a_school_admin_may_not_approve_and_asks_only_for_their_own_school(city, client_as, newcomer):
    client = client_as(city.song_a)
    response = _ask(client, username="xu_new", role=Role.PSYCH_TEACHER, school=city.school_b.pk)
    assert response.status_code == 400 and not AccessRequest.objects.exists()
    response = _ask(client, username="xu_new", role=Role.BUREAU_PSYCH_CENTRE, region=city.region.pk)
    assert response.status_code == 400 and not AccessRequest.objects.exists()
    grant = services.access_request(requested_by=city.song_a, user=newcomer, role=Role.CLASS_TEACHER,
                                    unit=city.class_a2, reason="接任2班班主任")
    assert client.post(reverse("compliance:request_approve", args=[grant.pk])).status_code == 403


def test_a_request_names_the_unit_its_role_needs_and_a_reason(city, client_as, newcomer):
    client = client_as(city.bai)
    response = _ask(client, username="xu_new", role=Role.CLASS_TEACHER, school=city.school_a.pk)
    assert response.status_code == 400 and "班级" in response.content.decode()
    response = _ask(client, username="xu_new", role=Role.PSYCH_TEACHER, school=city.school_a.pk, reason="")
    assert response.status_code == 400
    response = _ask(client, username="nobody", role=Role.PSYCH_TEACHER, school=city.school_a.pk)
    assert response.status_code == 400 and "没有这个用户名" in response.content.decode()
    assert not AccessRequest.objects.exists()


def test_a_refusal_and_a_revocation_are_recorded_with_their_reason(city, client_as, newcomer):
    refused = services.access_request(requested_by=city.song_a, user=newcomer, role=Role.PSYCH_TEACHER,
                                      unit=city.school_a, reason="兼职")
    client = client_as(city.bai)
    client.post(reverse("compliance:request_refuse", args=[refused.pk]), {"note": ""})
    refused.refresh_from_db()
    assert refused.state == AccessRequest.State.PENDING  # no reason, no refusal
    client.post(reverse("compliance:request_refuse", args=[refused.pk]), {"note": "未取得心理健康教育证书"})
    refused.refresh_from_db()
    assert refused.state == AccessRequest.State.REFUSED

    granted = services.access_approve(access_request=services.access_request(
        requested_by=city.song_a, user=newcomer, role=Role.CLASS_TEACHER, unit=city.class_a1, reason="接任班主任"),
        actor=city.bai)
    assert _chen(client_as(newcomer), city).status_code == 200
    client_as(city.song_a).post(reverse("compliance:request_revoke", args=[granted.pk]), {"note": "已调离本校"})
    granted.refresh_from_db()
    assert granted.state == AccessRequest.State.REVOKED and not granted.assignment.is_active
    newcomer.refresh_from_db()
    assert _chen(client_as(newcomer), city).status_code == 404
    assert list(AccessEvent.objects.filter(request__user=newcomer).order_by("id").values_list("kind", "note")) == [
        ("requested", "兼职"), ("refused", "未取得心理健康教育证书"), ("requested", "接任班主任"), ("approved", ""),
        ("revoked", "已调离本校")]
    assert AuditEntry.objects.filter(action="compliance.access_revoked", actor_id=city.song_a.pk).count() == 1


def test_grants_made_before_the_flow_are_recorded_as_approved_by_migration(city):
    child_roles = RoleAssignment.objects.filter(is_active=True, role__in=TWO_FACTOR_ROLES)
    assert services.grants_record_seeded() == child_roles.count()
    assert services.grants_record_seeded() == 0
    recorded = AccessRequest.objects.filter(by_migration=True, state=AccessRequest.State.APPROVED)
    assert set(recorded.values_list("assignment_id", flat=True)) == set(child_roles.values_list("id", flat=True))
    liu = recorded.get(user=city.liu_a)
    assert liu.at_school == city.school_a and liu.approval_region == city.district_a
    assert list(liu.events.values_list("kind", flat=True)) == ["migrated"]
    services.access_revoke(access_request=liu, actor=city.bai, note="离职")
    assert not RoleAssignment.objects.get(user=city.liu_a).is_active


def test_the_admin_site_cannot_grant_a_role_that_sees_children(city):
    def form(role, instance=None, **data):
        return RoleAssignmentForm({"user": city.gao_a.pk, "role": role, "is_active": True, **data}, instance=instance)

    assert not form(Role.PSYCH_TEACHER, school=city.school_a.pk).is_valid()
    assert form(Role.TEACHER, school=city.school_b.pk).is_valid()
    assignment = RoleAssignment.objects.get(user=city.liu_a)
    switched_off = RoleAssignmentForm({"user": city.liu_a.pk, "role": Role.PSYCH_TEACHER, "school": city.school_a.pk},
                                      instance=assignment)
    assert switched_off.is_valid()


def test_history_pages_show_who_approved_whom_for_which_school(city, client_as, newcomer):
    grant = services.access_approve(access_request=services.access_request(
        requested_by=city.song_a, user=newcomer, role=Role.PSYCH_TEACHER, unit=city.school_a, reason="兼职"),
        actor=city.bai, note="同意")
    for url in (reverse("compliance:person_history", args=[newcomer.pk]),
                reverse("compliance:school_history", args=[city.school_a.pk])):
        page = client_as(city.song_a).get(url).content.decode()
        assert "xu_new" in page and "宋校管A" in page and "白局" in page and "同意" in page, url
    assert client_as(city.song_b).get(reverse("compliance:person_history", args=[newcomer.pk])).status_code == 404
    pending = client_as(city.bai).get(reverse("compliance:pending")).content.decode()
    assert "xu_new" not in pending and grant.state == AccessRequest.State.APPROVED
