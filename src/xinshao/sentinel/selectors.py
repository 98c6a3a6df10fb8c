"""Reads of the sentinel channels, always through the scoping selectors of access/scopes/.

The class teacher's attention list says who needs care and how closely, in care words; it never
carries a score, a reason, a signal or who reported, so nothing on it can be repeated to a child.
"""
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xinshao.access import scopes
from xinshao.accounts.roles import Role
from xinshao.alerts.concerns import Concern
from xinshao.alerts.models import Alert, Level
from xinshao.sentinel.models import HomeSchoolRecord, SelfCheckIn

OWN_CHECKINS_SHOWN = 7

CARE_WORDS = {
    Level.RED: _("重点关注"),
    Level.ORANGE: _("密切关注"),
    Level.YELLOW: _("一般关注"),
}
_CARE_ORDER = {Level.RED: 0, Level.ORANGE: 1, Level.YELLOW: 2}


class NameMatch:
    """How a typed name matched the committee member's own class."""
    NONE, ONE, SEVERAL = "none", "one", "several"


def _normalise_name(name: str) -> str:
    return "".join(name.split())


def classmate_find(user, *, name: str, student_number: str = ""):
    """The one classmate a committee member means, or why there is not exactly one.

    Matching happens here, among the member's own class only, so the page never needs to list
    anybody: someone from another class is simply "not found", like a misspelt name.
    """
    candidates = scopes.classmates_reportable_by(user).filter(name=_normalise_name(name))
    number = student_number.strip()
    if number:
        candidates = candidates.filter(student_number__iexact=number)
    found = list(candidates[:2])
    if not found:
        return NameMatch.NONE, None
    if len(found) > 1:
        return NameMatch.SEVERAL, None
    return NameMatch.ONE, found[0]


def concern_labels(keys) -> list[str]:
    """The checklist words for stored keys, in checklist order; an unknown key is skipped."""
    return [label for key, label in Concern.choices if key in set(keys)]


def own_checkins(student) -> QuerySet[SelfCheckIn]:
    return SelfCheckIn.objects.filter(student=student).order_by("-created_at", "-id")[:OWN_CHECKINS_SHOWN]


@dataclass(frozen=True)
class AttentionRow:
    student: object
    care_word: str
    since: object
    owner: object


def attention_list(user) -> list[AttentionRow]:
    """The class teacher's own classes' students with an open alert, closest care first."""
    students = scopes.attention_students_for(user)
    alerts = (Alert.objects.filter(student__in=students, state__in=Alert.OPEN_STATES)
              .select_related("student__school_class__grade", "owner"))
    rows = [AttentionRow(student=a.student, care_word=CARE_WORDS.get(a.level, CARE_WORDS[Level.YELLOW]),
                         since=a.created_at, owner=a.owner) for a in alerts]
    order = {a.student_id: _CARE_ORDER.get(a.level, 3) for a in alerts}
    return sorted(rows, key=lambda row: (order[row.student.pk], row.student.school_class_id, row.student.name))


def own_home_school_records(user) -> QuerySet[HomeSchoolRecord]:
    return scopes.home_school_records_visible_to(user).filter(author_id=user.pk)


def school_home_school_records(user) -> QuerySet[HomeSchoolRecord]:
    """A psych teacher's view: every record written at their school(s)."""
    return scopes.home_school_records_visible_to(user).filter(school__in=scopes.schools_with_case_rights(user))


def psych_teachers_for(students) -> list:
    """The psych teachers a student (or a guardian, for their children) may ask for by name."""
    return list(scopes.users_in_role(Role.PSYCH_TEACHER, school_id__in={s.school_id for s in students}))


def class_teachers_for(students) -> list:
    return list(scopes.users_in_role(Role.CLASS_TEACHER, school_class_id__in={s.school_class_id for s in students}))
