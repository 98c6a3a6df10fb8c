"""Writes of compliance/: access requests and their decisions, incidents and their actions, account
unlocks. Each writes an event row and an audit entry, in one transaction with the change."""
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from axes.utils import reset as axes_reset
from xinshao.access import scopes
from xinshao.accounts.models import RoleAssignment
from xinshao.accounts.roles import SCOPE_FIELD, Role
from xinshao.audit.services import audit_record
from xinshao.compliance.grants import approval_unit, record_existing_grants
from xinshao.compliance.models import AccessEvent, AccessRequest, Incident, IncidentEvent, UnlockEvent
from xinshao.compliance.selectors import is_locked_out
from xinshao.notifications.services import notify
from xinshao.notifications.texts import Text
from xinshao.org.models import Region


def _access_event(grant: AccessRequest, kind: str, actor, note: str, request, now) -> None:
    AccessEvent.objects.create(request=grant, kind=kind, actor=actor, at=now, note=note)
    audit_record(actor=actor, action=f"compliance.access_{kind}", obj=grant, request=request,
                 detail={"user": grant.user.username, "role": grant.role, "unit": str(grant.unit), "note": note})


def _required(note: str, field: str, message: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({field: message})
    return note


@transaction.atomic
def access_request(*, requested_by, user, role: str, unit, reason: str, request=None, now=None) -> AccessRequest:
    """Ask that `user` get `role` at `unit` (a region, school, class or agency). Nothing is
    granted until a bureau admin of the unit's region approves (access_approve)."""
    now = now or timezone.now()
    reason = _required(reason, "reason", _("请写明为什么需要这项授权。"))
    if role not in scopes.requestable_roles_for(requested_by):
        raise ValidationError({"role": _("您不能申请这个角色。")})
    field = SCOPE_FIELD[role]
    if not isinstance(unit, RoleAssignment._meta.get_field(field).related_model):
        raise ValidationError({field: _("这个角色需要选择它所属的单位（%(unit)s）。") % {
            "unit": RoleAssignment._meta.get_field(field).verbose_name}})
    allowed_units = {"region": scopes.request_regions_for, "school": scopes.request_schools_for,
                     "school_class": scopes.request_classes_for, "agency": scopes.request_agencies_for}[field]
    if not allowed_units(requested_by).filter(pk=unit.pk).exists():
        raise ValidationError({field: _("这个单位不在您的管理范围内。")})
    if not user.is_active:
        raise ValidationError({"username": _("这个账号已停用。")})
    same = {"user": user, "role": role, field: unit}
    if RoleAssignment.objects.filter(is_active=True, **same).exists():
        raise ValidationError({"username": _("此人已经拥有这项授权。")})
    if AccessRequest.objects.filter(state=AccessRequest.State.PENDING, **same).exists():
        raise ValidationError({"username": _("同样的申请正在等待审批。")})
    region_id, school_id = approval_unit(role, unit)
    grant = AccessRequest(user=user, role=role, approval_region_id=region_id, at_school_id=school_id, reason=reason,
                          requested_by=requested_by, requested_at=now, **{field: unit})
    grant.full_clean()
    grant.save()
    _access_event(grant, AccessEvent.Kind.REQUESTED, requested_by, reason, request, now)
    return grant


def _decidable(grant: AccessRequest, actor) -> AccessRequest:
    """The request, locked, once it is checked that `actor` may decide it now."""
    grant = AccessRequest.objects.select_for_update().select_related("user").get(pk=grant.pk)
    if not scopes.access_requests_decidable_by(actor).filter(pk=grant.pk).exists():
        raise ValidationError(_("只有该单位所在区域的教育局管理员可以审批。"))
    if grant.state != AccessRequest.State.PENDING:
        raise ValidationError(_("这份申请已经处理过了。"))
    if actor.pk == grant.requested_by_id:
        raise ValidationError(_("不能审批自己提出的申请，请由另一位教育局管理员审批。"))
    if actor.pk == grant.user_id:
        raise ValidationError(_("不能审批给自己的授权。"))
    return grant


@transaction.atomic
def access_approve(*, access_request: AccessRequest, actor, note: str = "", request=None, now=None) -> AccessRequest:
    now = now or timezone.now()
    grant = _decidable(access_request, actor)
    field = SCOPE_FIELD[grant.role]
    assignment = RoleAssignment(user=grant.user, role=grant.role, **{f"{field}_id": getattr(grant, f"{field}_id")})
    assignment.full_clean()
    assignment.save()
    grant.state, grant.decided_by, grant.decided_at, grant.assignment = AccessRequest.State.APPROVED, actor, now, assignment
    grant.save(update_fields=["state", "decided_by", "decided_at", "assignment"])
    _access_event(grant, AccessEvent.Kind.APPROVED, actor, (note or "").strip(), request, now)
    return grant


@transaction.atomic
def access_refuse(*, access_request: AccessRequest, actor, note: str, request=None, now=None) -> AccessRequest:
    now = now or timezone.now()
    note = _required(note, "note", _("请写明拒绝的理由。"))
    grant = _decidable(access_request, actor)
    grant.state, grant.decided_by, grant.decided_at = AccessRequest.State.REFUSED, actor, now
    grant.save(update_fields=["state", "decided_by", "decided_at"])
    _access_event(grant, AccessEvent.Kind.REFUSED, actor, note, request, now)
    return grant


@transaction.atomic
def access_revoke(*, access_request: AccessRequest, actor, note: str, request=None, now=None) -> AccessRequest:
    """End an approved grant: its role assignment stops at once. A bureau admin of the region or
    the school's admin may revoke (taking access away needs no second person)."""
    now = now or timezone.now()
    note = _required(note, "note", _("请写明撤销的理由。"))
    grant = AccessRequest.objects.select_for_update().select_related("user").get(pk=access_request.pk)
    if not scopes.access_requests_visible_to(actor).filter(pk=grant.pk).exists():
        raise ValidationError(_("这项授权不在您的管理范围内。"))
    if grant.state != AccessRequest.State.APPROVED:
        raise ValidationError(_("只有已批准的授权可以撤销。"))
    if grant.assignment_id:
        RoleAssignment.objects.filter(pk=grant.assignment_id).update(is_active=False)
    grant.state = AccessRequest.State.REVOKED
    grant.save(update_fields=["state"])
    _access_event(grant, AccessEvent.Kind.REVOKED, actor, note, request, now)
    return grant


def grants_record_seeded() -> int:
    """Grants made by the demo seed, recorded as approved by migration (as 0002 did for existing ones)."""
    made = record_existing_grants(request_model=AccessRequest, event_model=AccessEvent,
                                  assignment_model=RoleAssignment)
    if made:
        audit_record(actor=None, action="compliance.access_migrated", detail={"grants": made})
    return made


# Incidents

def _incident_event(incident: Incident, kind: str, actor, note: str, request, now) -> None:
    IncidentEvent.objects.create(incident=incident, kind=kind, actor=actor, at=now, note=note)
    audit_record(actor=actor, action=f"compliance.incident_{kind}", obj=incident, request=request,
                 detail={"title": incident.title})


@transaction.atomic
def incident_report(*, actor, region: Region, title: str, description: str, discovered_at, affected_count: int,
                    affected_students=(), data_kinds=(), request=None, now=None) -> Incident:
    """Register an incident; it must be reported to the authority within
    XINSHAO_INCIDENT_REPORT_HOURS of its discovery."""
    now = now or timezone.now()
    if not scopes.request_regions_for(actor).filter(pk=region.pk).exists():
        raise ValidationError({"region": _("这个区域不在您的管理范围内。")})
    if discovered_at > now:
        raise ValidationError({"discovered_at": _("发现时间不能晚于现在。")})
    students = list(affected_students)
    if affected_count < len(students):
        raise ValidationError({"affected_count": _("涉及人数不能少于列出的学生人数（%(n)s）。") % {"n": len(students)}})
    incident = Incident(region=region, title=title.strip(), description=description.strip(),
                        discovered_at=discovered_at, affected_count=affected_count, data_kinds=list(data_kinds),
                        report_due_at=discovered_at + timedelta(hours=settings.XINSHAO_INCIDENT_REPORT_HOURS),
                        reported_by=actor, created_at=now)
    incident.full_clean()
    incident.save()
    incident.affected_students.set(students)
    _incident_event(incident, IncidentEvent.Kind.REPORTED, actor, "", request, now)
    return incident


# An action and the time it sets; each happens once, and closing needs the incident contained.
ACTION_FIELDS = {
    IncidentEvent.Kind.CONTAINED: "contained_at",
    IncidentEvent.Kind.AUTHORITY_REPORTED: "authority_reported_at",
    IncidentEvent.Kind.GUARDIANS_NOTIFIED: "guardians_notified_at",
    IncidentEvent.Kind.CLOSED: "closed_at",
    IncidentEvent.Kind.NOTE: None,
}


@transaction.atomic
def incident_act(*, incident: Incident, actor, kind: str, note: str = "", request=None, now=None) -> Incident:
    now = now or timezone.now()
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if kind not in ACTION_FIELDS:
        raise ValidationError({"kind": _("请选择一项处置。")})
    if incident.closed_at is not None:
        raise ValidationError(_("事件已结束，不能再记录处置。"))
    field = ACTION_FIELDS[kind]
    if field and getattr(incident, field) is not None:
        raise ValidationError({"kind": _("这一步已经记录过了。")})
    if kind == IncidentEvent.Kind.CLOSED and incident.contained_at is None:
        raise ValidationError({"kind": _("事件控制住之后才能结束。")})
    note = (note or "").strip()
    if kind in (IncidentEvent.Kind.NOTE, IncidentEvent.Kind.CLOSED):
        _required(note, "note", _("请写明处置情况。"))
    if field:
        setattr(incident, field, now)
        incident.save(update_fields=[field])
    _incident_event(incident, kind, actor, note, request, now)
    return incident


def _region_and_above(region: Region) -> list[int]:
    ids = []
    while region is not None:
        ids.append(region.pk)
        region = region.parent
    return ids


def incidents_notify_overdue(*, now=None) -> int:
    """Tell the bureau admins of an incident's region (and the regions above it), once, that it
    was not reported to the authority in time. Returns how many incidents were told about."""
    now = now or timezone.now()
    due = Incident.objects.filter(authority_reported_at__isnull=True, closed_at__isnull=True,
                                  overdue_notified_at__isnull=True, report_due_at__lt=now).select_related("region")
    told = 0
    for incident in due:
        with transaction.atomic():
            if not Incident.objects.filter(pk=incident.pk, overdue_notified_at__isnull=True).update(
                    overdue_notified_at=now):
                continue  # another run told them
            admins = scopes.users_in_role(Role.BUREAU_ADMIN, region_id__in=_region_and_above(incident.region))
            notify(admins, subject=Text(gettext_noop("个人信息安全事件逾期未上报")),
                   body=Text(gettext_noop("事件“%(title)s”已超过上报期限，尚未记录上报主管部门。请立即处理。"),
                             {"title": incident.title}),
                   link=reverse("compliance:incident", args=[incident.pk]), urgent=True, topic="incident_overdue")
            _incident_event(incident, IncidentEvent.Kind.OVERDUE_NOTIFIED, None, "", None, now)
            told += 1
    return told


# Unlocking an account

@transaction.atomic
def account_unlock(*, user, actor, request=None, now=None) -> int:
    """Lift the sign-in lock-out of `user` (every address): the person may sign in again at once.
    The caller has checked `user` is among scopes.people_followed_by(actor)."""
    now = now or timezone.now()
    if not is_locked_out(user.username, now=now):
        raise ValidationError(_("这个账号现在没有被锁定。"))
    removed = axes_reset(username=user.username)
    UnlockEvent.objects.create(user=user, kind="unlocked", actor=actor, at=now, detail={"attempts": removed})
    audit_record(actor=actor, action="compliance.account_unlocked", obj=user, request=request,
                 detail={"username": user.username})
    return removed
