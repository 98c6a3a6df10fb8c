"""The roles of DESIGN.md, and which organisation unit each role is scoped to."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BUREAU_ADMIN = "bureau_admin", _("教育局管理员")
    BUREAU_PSYCH_CENTRE = "bureau_psych_centre", _("教育局心理中心")
    BUREAU_ANALYST = "bureau_analyst", _("教育局领导/分析员")
    SCHOOL_ADMIN = "school_admin", _("学校管理员")
    PSYCH_TEACHER = "psych_teacher", _("学校心理教师")
    CLASS_TEACHER = "class_teacher", _("班主任")
    PSYCH_COMMITTEE = "psych_committee", _("心理委员")
    STUDENT = "student", _("学生")
    GUARDIAN = "guardian", _("监护人")
    CLINICIAN = "clinician", _("合作机构医生")
    HOTLINE_OPERATOR = "hotline_operator", _("热线接线员")
    INSPECTOR = "inspector", _("督查员")
    TEACHER = "teacher", _("教师")
    ACTIVITY_APPLICANT = "activity_applicant", _("进校活动申报单位")


# The one field of RoleAssignment that names the unit a role works in.
SCOPE_FIELD: dict[str, str] = {
    Role.BUREAU_ADMIN: "region",
    Role.BUREAU_PSYCH_CENTRE: "region",
    Role.BUREAU_ANALYST: "region",
    Role.HOTLINE_OPERATOR: "region",
    Role.INSPECTOR: "region",
    Role.SCHOOL_ADMIN: "school",
    Role.PSYCH_TEACHER: "school",
    Role.TEACHER: "school",
    Role.CLASS_TEACHER: "school_class",
    Role.PSYCH_COMMITTEE: "student",
    Role.STUDENT: "student",
    Role.GUARDIAN: "guardian",
    Role.CLINICIAN: "agency",
    Role.ACTIVITY_APPLICANT: "outside_body",
}
SCOPE_FIELDS = ("region", "school", "school_class", "student", "guardian", "agency", "outside_body")

BUREAU_ROLES = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_PSYCH_CENTRE, Role.BUREAU_ANALYST})

# Roles that see individual children's records or contact details: they sign in with a
# second factor (docs/security.md). Students, guardians, committee members and aggregate-only
# roles do not.
TWO_FACTOR_ROLES = frozenset({
    Role.BUREAU_ADMIN, Role.BUREAU_PSYCH_CENTRE, Role.SCHOOL_ADMIN, Role.PSYCH_TEACHER,
    Role.CLASS_TEACHER, Role.CLINICIAN, Role.HOTLINE_OPERATOR,
})
