"""Importing a roster file: read, check every row, then write everything or nothing.

Each attempt leaves an ImportRun, whether it imported, only checked (dry run) or was
rejected; each student created or changed gets one audit entry naming that run.
"""
import datetime
import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinshao.audit.services import AuditEvent, audit_record_many
from xinshao.core.crypto import blind_index
from xinshao.org.grades import SCHOOL_KIND_LEVELS
from xinshao.org.models import Grade, School, SchoolClass
from xinshao.people.models import Enrolment, Guardian, GuardianLink, Student
from xinshao.rosters.models import ImportRun
from xinshao.rosters.planning import RosterPlan, plan_roster
from xinshao.rosters.problems import RosterFileError
from xinshao.rosters.reading import read_table
from xinshao.rosters.validation import check_roster

BATCH_SIZE = 500


def roster_import(*, school: School, file_name: str, content: bytes, actor, source: str,
                  dry_run: bool = False, request=None, today: datetime.date | None = None) -> ImportRun:
    """Check a roster file for a school and, unless it is a dry run or any row fails, import it.

    The caller has already decided that the actor may change this school's roster.
    """
    today = today or timezone.localdate()
    run = ImportRun(
        school=school,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor.get_username() if actor is not None and actor.is_authenticated else "system",
        source=source,
        file_name=file_name[:255],
        file_size=len(content),
        file_sha256=hashlib.sha256(content).hexdigest(),
        dry_run=dry_run,
    )
    try:
        table = read_table(file_name, content)
    except RosterFileError as error:
        return _rejected(run, [error.problem])
    checked = check_roster(table, levels=SCHOOL_KIND_LEVELS[school.kind], today=today)
    run.row_count = len(table.rows)
    if checked.problems:
        return _rejected(run, checked.problems)
    with transaction.atomic():
        # One import per school at a time: a second waits here and then sees the first's rows.
        School.objects.select_for_update().get(pk=school.pk)
        plan = plan_roster(school=school, rows=checked.rows)
        run.outcome = ImportRun.Outcome.CHECKED if dry_run else ImportRun.Outcome.IMPORTED
        run.created_count, run.updated_count, run.unchanged_count = len(plan.creates), len(plan.updates), plan.unchanged
        run.new_classes = [_class_label(level, name) for level, name in plan.new_classes]
        run.save()
        if not dry_run:
            _apply(plan, school=school, run=run, actor=actor, request=request, today=today)
    return run


def _rejected(run: ImportRun, problems) -> ImportRun:
    run.outcome = ImportRun.Outcome.REJECTED
    run.errors = [problem.as_json() for problem in problems]
    run.save()
    return run


def _class_label(level: str, name: str) -> str:
    return str(SchoolClass(grade=Grade(level=level), name=name))


def _apply(plan: RosterPlan, *, school: School, run: ImportRun, actor, request, today: datetime.date) -> None:
    _create_classes(plan, school=school)
    created = _create_students(plan, school=school, today=today)
    _update_students(plan, today=today)
    written = {s.student_number: s for s in created} | {c.row.student_number: c.student for c in plan.updates}
    _link_guardians(plan, students_by_number=written)
    events = [
        AuditEvent(action="student.import_create", student_id=student.pk, object_type="people.student",
                   object_id=str(student.pk), detail={"import_run": run.pk})
        for student in created
    ]
    for change in plan.updates:
        detail = {"import_run": run.pk, "changed": change.changed}
        if change.from_class_id is not None:
            detail |= {"from_class": change.from_class_id, "to_class": change.student.school_class_id}
        events.append(AuditEvent(action="student.import_update", student_id=change.student.pk,
                                 object_type="people.student", object_id=str(change.student.pk), detail=detail))
    audit_record_many(actor=actor, events=events, request=request)


def _create_classes(plan: RosterPlan, *, school: School) -> None:
    for level, name in plan.new_classes:
        if level not in plan.grades:
            plan.grades[level] = Grade.objects.create(school=school, level=level)
        plan.classes[(level, name)] = SchoolClass.objects.create(school=school, grade=plan.grades[level], name=name)


def _create_students(plan: RosterPlan, *, school: School, today: datetime.date) -> list[Student]:
    students = Student.objects.bulk_create([
        Student(school=school, school_class=plan.classes[(row.level, row.class_name)],
                student_number=row.student_number, name=row.name, gender=row.gender, birth_date=row.birth_date,
                national_id=row.national_id)
        for row in plan.creates
    ], batch_size=BATCH_SIZE)
    Enrolment.objects.bulk_create([
        Enrolment(student=student, school=school, school_class=student.school_class, started_on=today,
                  reason=_("名册导入"))
        for student in students
    ], batch_size=BATCH_SIZE)
    return students


def _update_students(plan: RosterPlan, *, today: datetime.date) -> None:
    now, written, moved = timezone.now(), set(), []
    for change in plan.updates:
        student, row = change.student, change.row
        for name in change.fields:
            if name == "school_class":
                student.school_class = plan.classes[(row.level, row.class_name)]
                moved.append(student)
            else:
                setattr(student, name, getattr(row, name))
        if change.fields:
            student.updated_at = now
            written.add(student)
    if written:
        # bulk_update does not apply auto_now, hence updated_at among the fields.
        fields = sorted({name for change in plan.updates for name in change.fields} | {"updated_at"})
        if "national_id" in fields:  # bulk_update skips pre_save: keep the blind index in step
            for student in written:
                student.national_id_index = blind_index(student.national_id)
            fields.append("national_id_index")
        Student.objects.bulk_update(list(written), fields, batch_size=BATCH_SIZE)
    if moved:
        Enrolment.objects.filter(student__in=moved, ended_on__isnull=True).update(ended_on=today)
        Enrolment.objects.bulk_create([
            Enrolment(student=student, school_id=student.school_id, school_class=student.school_class,
                      started_on=today, reason=_("名册导入：调班"))
            for student in moved
        ], batch_size=BATCH_SIZE)


def _link_guardians(plan: RosterPlan, *, students_by_number: dict[str, Student]) -> None:
    Guardian.objects.bulk_update(plan.phone_changes, ["phone"], batch_size=BATCH_SIZE)
    Guardian.objects.bulk_create(plan.new_guardians, batch_size=BATCH_SIZE)
    replaced = [linking.replaces.pk for linking in plan.linkings if linking.replaces is not None]
    upgraded = [linking.upgrades.pk for linking in plan.linkings if linking.upgrades is not None]
    GuardianLink.objects.filter(pk__in=replaced).delete()
    GuardianLink.objects.filter(pk__in=upgraded).update(is_primary=True)
    GuardianLink.objects.bulk_create([
        GuardianLink(student=students_by_number[linking.row.student_number], guardian=linking.target, is_primary=True)
        for linking in plan.linkings if linking.upgrades is None
    ], batch_size=BATCH_SIZE)
