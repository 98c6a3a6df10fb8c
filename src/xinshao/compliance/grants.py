"""Which unit a grant is for, and the record of grants made before the approval flow. Plain ORM
on the models it is given, so the data migration (0002) and the demo seed share it."""
from django.utils import timezone

from xinshao.accounts.roles import SCOPE_FIELD, TWO_FACTOR_ROLES

UNIT_FIELDS = ("region", "school", "school_class", "agency")


def approval_unit(role: str, unit) -> tuple[int, int | None]:
    """(the region whose bureau admins decide, the school it is at) for a role's unit."""
    field = SCOPE_FIELD[role]
    if field == "region":
        return unit.pk, None
    if field == "school":
        return unit.district_id, unit.pk
    if field == "school_class":
        return unit.school.district_id, unit.school_id
    return unit.region_id, None  # agency


def record_existing_grants(*, request_model, event_model, assignment_model, now=None) -> int:
    """Give every active assignment of a role that sees children, made without a request, an
    approved request "by migration" and its event, so nothing that worked stops working."""
    now = now or timezone.now()
    unrecorded = (assignment_model.objects.filter(is_active=True, role__in=list(TWO_FACTOR_ROLES),
                                                  access_request__isnull=True)
                  .select_related("region", "school", "school_class__school", "agency"))
    made = []
    for assignment in unrecorded.iterator(chunk_size=2000):
        field = SCOPE_FIELD[assignment.role]
        if field not in UNIT_FIELDS:
            continue
        region_id, school_id = approval_unit(assignment.role, getattr(assignment, field))
        made.append(request_model(
            user_id=assignment.user_id, role=assignment.role, approval_region_id=region_id, at_school_id=school_id,
            reason="", state="approved", requested_at=assignment.created_at, decided_at=now, by_migration=True,
            assignment_id=assignment.pk, **{f"{field}_id": getattr(assignment, f"{field}_id")}))
    request_model.objects.bulk_create(made, batch_size=2000)
    event_model.objects.bulk_create([event_model(request_id=grant.pk, kind="migrated", at=now, detail={})
                                     for grant in request_model.objects.filter(by_migration=True, events__isnull=True)],
                                    batch_size=2000)
    return len(made)
