"""Comparing a checked roster with what the school already has: what to create, change or leave.

The whole school is read in a handful of queries (students, classes, guardian links), so a
3,000-row file is compared in memory, and a file imported twice plans no change at all.
"""
from dataclasses import dataclass, field

from xinshao.org.models import Grade, School, SchoolClass
from xinshao.people.models import Guardian, GuardianLink, Student
from xinshao.rosters.validation import RosterRow

ClassKey = tuple[str, str]  # (level, class name)
GuardianKey = tuple[str, str]  # (name, phone)


@dataclass
class StudentChange:
    student: Student
    row: RosterRow
    fields: list[str]  # student fields to write
    guardian_changed: bool
    from_class_id: int | None = None

    @property
    def changed(self) -> list[str]:
        """What changed for the audit trail: field names, and "guardian" for the guardian."""
        return self.fields + (["guardian"] if self.guardian_changed else [])


@dataclass
class GuardianLinking:
    """The roster guardian of one student: whom to link, and which old link to replace."""

    row: RosterRow
    target: Guardian  # existing, or new and not yet saved
    replaces: GuardianLink | None = None
    upgrades: GuardianLink | None = None  # a non-primary link to the target, made primary


@dataclass
class RosterPlan:
    grades: dict[str, Grade]
    classes: dict[ClassKey, SchoolClass]
    new_classes: list[ClassKey] = field(default_factory=list)
    creates: list[RosterRow] = field(default_factory=list)
    updates: list[StudentChange] = field(default_factory=list)
    unchanged: int = 0
    linkings: list[GuardianLinking] = field(default_factory=list)
    new_guardians: list[Guardian] = field(default_factory=list)
    phone_changes: list[Guardian] = field(default_factory=list)


def plan_roster(*, school: School, rows: list[RosterRow]) -> RosterPlan:
    classes = {(c.grade.level, c.name): c for c in SchoolClass.objects.filter(school=school).select_related("grade")}
    plan = RosterPlan(grades={grade.level: grade for grade in Grade.objects.filter(school=school)}, classes=classes)
    for row in rows:
        key = (row.level, row.class_name)
        if key not in classes and key not in plan.new_classes:
            plan.new_classes.append(key)
    existing = Student.objects.filter(school=school).select_related("school_class__grade")
    students = {student.student_number: student for student in existing}
    guardians = _GuardianMatcher(school=school, rows=rows, students=students)
    for row in rows:
        student = students.get(row.student_number)
        linking = guardians.linking_for(row, student)
        if student is None:
            plan.creates.append(row)
        else:
            guardian_changed = linking is not None or guardians.phone_changed(student)
            change = _student_change(student, row, guardian_changed=guardian_changed)
            if change.changed:
                plan.updates.append(change)
            else:
                plan.unchanged += 1
        if linking is not None:
            plan.linkings.append(linking)
    plan.new_guardians = list(guardians.new.values())
    plan.phone_changes = guardians.phone_changes
    return plan


def _student_change(student: Student, row: RosterRow, *, guardian_changed: bool) -> StudentChange:
    fields = [name for name in ("name", "gender", "birth_date") if getattr(student, name) != getattr(row, name)]
    # A blank identity cell keeps a stored number: a roster leaving it out is not asking to erase it.
    if row.national_id and row.national_id != student.national_id:
        fields.append("national_id")
    change = StudentChange(student=student, row=row, fields=fields, guardian_changed=guardian_changed)
    current = student.school_class
    if (current.grade.level, current.name) != (row.level, row.class_name):
        change.fields.append("school_class")
        change.from_class_id = current.pk
    return change


class _GuardianMatcher:
    """Finds each row's guardian among the school's guardians by name and phone.

    A guardian whose phone changed (same name, new number, and every child of theirs in
    this file agreeing) keeps their record, so a guardian's login and links stay; a
    different name is a different person, who replaces the old guardian link.
    """

    def __init__(self, *, school: School, rows: list[RosterRow], students: dict[str, Student]):
        links = list(GuardianLink.objects.filter(student__school=school).select_related("guardian").order_by("id"))
        self.links_by_student: dict[int, list[GuardianLink]] = {}
        self.by_key: dict[GuardianKey, Guardian] = {}
        for link in links:
            self.links_by_student.setdefault(link.student_id, []).append(link)
            self.by_key.setdefault(_key_of(link.guardian), link.guardian)
        self.current = {
            student.pk: self._current_link(student.pk, (row.guardian_name, row.guardian_phone))
            for row in rows if (student := students.get(row.student_number)) is not None
        }
        self.new: dict[GuardianKey, Guardian] = {}
        self.phone_changes: list[Guardian] = []
        self._changed_phone_students: set[int] = set()
        self._apply_phone_changes(rows, students)

    def _current_link(self, student_id: int, wanted: GuardianKey) -> GuardianLink | None:
        """The link the roster speaks about: the wanted guardian's, else the first primary one."""
        primary = [link for link in self.links_by_student.get(student_id, []) if link.is_primary]
        return next((link for link in primary if _key_of(link.guardian) == wanted), primary[0] if primary else None)

    def _apply_phone_changes(self, rows: list[RosterRow], students: dict[str, Student]) -> None:
        wanted: dict[int, set[GuardianKey]] = {}
        asking: dict[int, set[int]] = {}
        guardians: dict[int, Guardian] = {}
        for row in rows:
            student = students.get(row.student_number)
            link = self.current.get(student.pk) if student is not None else None
            key = (row.guardian_name, row.guardian_phone)
            if link is None or link.guardian.name != row.guardian_name or _key_of(link.guardian) == key:
                continue
            guardians[link.guardian_id] = link.guardian
            wanted.setdefault(link.guardian_id, set()).add(key)
            asking.setdefault(link.guardian_id, set()).add(student.pk)
        if not guardians:
            return
        children: dict[int, set[int]] = {}
        for guardian_id, student_id in GuardianLink.objects.filter(guardian_id__in=guardians).values_list(
                "guardian_id", "student_id"):
            children.setdefault(guardian_id, set()).add(student_id)
        for guardian_id, guardian in guardians.items():
            keys = wanted[guardian_id]
            new_key = next(iter(keys))
            if len(keys) == 1 and new_key not in self.by_key and children[guardian_id] <= asking[guardian_id]:
                old_key = _key_of(guardian)
                if self.by_key[old_key].pk == guardian.pk:
                    del self.by_key[old_key]
                guardian.phone = new_key[1]
                self.by_key[new_key] = guardian
                self.phone_changes.append(guardian)
                self._changed_phone_students |= children[guardian_id]

    def phone_changed(self, student: Student) -> bool:
        return student.pk in self._changed_phone_students

    def linking_for(self, row: RosterRow, student: Student | None) -> GuardianLinking | None:
        """How to link the row's guardian, or None when the student is linked to them already."""
        key = (row.guardian_name, row.guardian_phone)
        target = self.by_key.get(key)
        if target is None:
            target = self.new.setdefault(key, Guardian(name=row.guardian_name, phone=row.guardian_phone))
        if student is None:
            return GuardianLinking(row=row, target=target)
        current = self.current.get(student.pk)
        if current is not None and current.guardian_id == target.pk:
            return None
        existing = next((link for link in self.links_by_student.get(student.pk, [])
                         if target.pk is not None and link.guardian_id == target.pk), None)
        return GuardianLinking(row=row, target=target, replaces=current, upgrades=existing)


def _key_of(guardian: Guardian) -> GuardianKey:
    return (guardian.name, guardian.phone)
