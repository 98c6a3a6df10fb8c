"""Writes for retention: the bureau sets a kind's policy; a run deletes or anonymises what is past
its time and records what it did; a guardian (or staff, for a paper request) asks for a copy of a
child's data, made in the background as an export."""
import datetime
from collections import Counter
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinshao.audit.services import AuditEvent, audit_record, audit_record_many
from xinshao.exports.kinds import ExportRefused
from xinshao.exports.services import export_request

from .kinds import KINDS, DataKind, kind_named
from .models import Action, CopyRequest, PolicyChange, RetentionPolicy, RetentionRun

MAX_MONTHS = 600
# Rows handled in one transaction by a kind whose rows stand alone (a student is always one).
CHUNK = 500


@dataclass(frozen=True)
class InForce:
    kind: DataKind
    months: int
    action: str
    policy: RetentionPolicy | None  # None: the default applies

    @property
    def action_label(self) -> str:
        return Action(self.action).label

    def cutoff(self, today: datetime.date) -> datetime.date:
        """Rows whose anchor is before this day are past their time."""
        return today - relativedelta(months=self.months)

    def expires(self, anchor: datetime.date) -> datetime.date:
        """The first day a row anchored on `anchor` is past its time."""
        return anchor + relativedelta(months=self.months) + datetime.timedelta(days=1)


def policy_in_force(kind: DataKind) -> InForce:
    policy = RetentionPolicy.objects.filter(kind=kind.key).first()
    if policy is None:
        return InForce(kind, kind.default_months, kind.default_action, None)
    return InForce(kind, policy.months, policy.action, policy)


def policies_in_force() -> list[InForce]:
    set_ = {policy.kind: policy for policy in RetentionPolicy.objects.select_related("updated_by")}
    return [InForce(kind, set_[key].months, set_[key].action, set_[key]) if key in set_ else
            InForce(kind, kind.default_months, kind.default_action, None) for key, kind in KINDS.items()]


@transaction.atomic
def policy_set(*, kind_key: str, months: int, action: str, reason: str, actor, request=None) -> RetentionPolicy:
    """Set one kind's period and action; the change, with its reason, joins the kind's history."""
    kind = kind_named(kind_key)
    if kind is None:
        raise ValidationError(_("没有这类数据。"))
    problems = {}
    if not kind.min_months <= months <= MAX_MONTHS:
        problems["months"] = _("保存期限应在 %(low)s 到 %(high)s 个月之间。") % {"low": kind.min_months, "high": MAX_MONTHS}
    if action not in kind.actions:
        problems["action"] = _("这类数据到期只能%(allowed)s。") % {
            "allowed": "、".join(str(Action(a).label) for a in kind.actions)}
    if len(reason.strip()) < 4:
        problems["reason"] = _("请写明修改原因（至少 4 个字）。")
    if problems:
        raise ValidationError(problems)
    before = policy_in_force(kind)
    now = timezone.now()
    policy, _created = RetentionPolicy.objects.update_or_create(
        kind=kind.key, defaults={"months": months, "action": action, "updated_at": now, "updated_by": actor})
    detail = {"before": {"months": before.months, "action": before.action, "default": before.policy is None},
              "after": {"months": months, "action": action}}
    PolicyChange.objects.create(kind="policy.changed", actor=actor, at=now, data_kind=kind.key,
                                reason=reason.strip(), detail=detail)
    audit_record(actor=actor, action="retention.policy_changed", obj=policy, request=request,
                 detail={"kind": kind.key, **detail})
    return policy


def retention_run(*, actor=None, dry_run: bool = False, today: datetime.date | None = None,
                  kinds: list[str] | None = None) -> list[RetentionRun]:
    """For every kind (or those named): find what is past its time under the policy in force and, unless
    `dry_run`, delete or anonymise it; each kind's run is recorded, with who started it (None: the
    periodic job). A student is handled whole in one transaction; other kinds in chunks of CHUNK rows,
    each its own transaction, so a failure leaves what was done done and the rest for the next run."""
    today = today or timezone.localdate()
    runs = []
    for key, kind in KINDS.items():
        if kinds is not None and key not in kinds:
            continue
        runs.append(_run_kind(policy_in_force(kind), actor=actor, dry_run=dry_run, today=today))
    return runs


def _run_kind(in_force: InForce, *, actor, dry_run: bool, today: datetime.date) -> RetentionRun:
    kind = in_force.kind
    cutoff = in_force.cutoff(today)
    run = RetentionRun.objects.create(kind=kind.key, months=in_force.months, action=in_force.action, cutoff=cutoff,
                                      dry_run=dry_run, started_by=actor, started_at=timezone.now())
    touched = Counter()
    try:
        due = kind.due(cutoff)
        ids = list(due.order_by("pk").values_list("pk", flat=True)) if hasattr(due, "values_list") else list(due)
        run.found = len(ids)
        if not dry_run:
            size = 1 if kind.per_student else CHUNK
            for start in range(0, len(ids), size):
                chunk = ids[start:start + size]
                with transaction.atomic():
                    touched += kind.apply(chunk, in_force.action, run)
                    if kind.per_student:
                        audit_record_many(actor=actor, events=[AuditEvent(
                            action="retention.student_anonymised", student_id=chunk[0], detail={"run": run.pk})])
                run.done += len(chunk)
        run.state = RetentionRun.State.DONE
    except Exception as error:  # recorded on the run for the bureau; the rest waits for the next run
        run.state, run.message = RetentionRun.State.FAILED, f"{type(error).__name__}: {error}"[:2000]
    run.detail = {label: count for label, count in sorted(touched.items()) if count}
    run.finished_at = timezone.now()
    run.save()
    if not dry_run:
        audit_record(actor=actor, action="retention.run", obj=run,
                     detail={"kind": kind.key, "months": run.months, "action": run.action, "found": run.found,
                             "done": run.done, "state": run.state})
    return run


def copy_request(*, student, actor, channel: str, guardian=None, note: str = "", request=None) -> CopyRequest:
    """Ask for a copy of `student`'s data: an export job owned by `actor` (the guardian asking in
    the portal, or the staff member who recorded a paper request and hands it over)."""
    origin = request.build_absolute_uri("/") if request is not None else ""
    with transaction.atomic():
        try:
            job = export_request(user=actor, kind_name="child_data_copy", file_format="xlsx",
                                 params={"student": student.pk}, origin=origin)
        except ExportRefused as refused:
            raise ValidationError(str(refused)) from refused
        made = CopyRequest.objects.create(student=student, guardian=guardian, channel=channel, requested_by=actor,
                                          requested_at=timezone.now(), note=note, job=job)
        audit_record(actor=actor, action="retention.copy_requested", student=student, obj=made, request=request,
                     detail={"channel": channel, "job": job.pk})
    return made
