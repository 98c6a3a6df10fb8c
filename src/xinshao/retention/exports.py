"""The guardian's copy as an export kind: made in the background, downloadable only by whoever
asked for it in the system (the guardian, or the staff member who recorded a paper request)."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinshao.access import scopes
from xinshao.exports.kinds import ExportRefused, export_kind, number_of

from .copy import child_tables


def _student(user, params):
    student = scopes.copy_students_for(user).filter(pk=number_of(params.get("student"))).first()
    if student is None:
        raise ExportRefused(_("只能申请自己孩子（或本校学生）的个人信息副本。"))
    return student


def _may(user) -> bool:
    return scopes.copy_students_for(user).exists()


@export_kind("child_data_copy", title=gettext_lazy("个人信息副本"), may=_may, formats=("xlsx",),
             clean=lambda user, params: {"student": _student(user, params).pk})
def copy_tables(user, params):
    yield from child_tables(_student(user, params))
