"""The class teacher's attention list (关注名单) as an export: the page's rows and words only (a care
word, never an alert level or a score), read through the same selector. The list is one teacher's
classes, so it is read whole, as the page reads it."""
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinshao.access import scopes
from xinshao.exports.kinds import Table, export_kind, named_rows

from . import selectors


@export_kind("attention", title=gettext_lazy("关注名单"), may=scopes.can_see_attention_list)
def attention_tables(user, params):
    rows = selectors.attention_list(user)
    names: set[int] = set()

    def row(item) -> list:
        return [item.student.name, str(item.student.school_class), str(item.care_word),
                timezone.localtime(item.since).strftime("%Y-%m-%d"), str(item.owner or _("学校心理老师"))]

    yield Table(title=_("关注名单"), columns=[_("学生"), _("班级"), _("关注程度"), _("开始关注"), _("请联系")],
                rows=named_rows(rows, row, names, lambda item: item.student.pk), count=len(rows), student_ids=names)
