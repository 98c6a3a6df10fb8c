"""The hotline's lists as exports: the call log (with its 只看我接的 filter) and the open call-backs.
Each reads through the same scope and selector as its page; the students named go in the
download's audit entry."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinshao.access import scopes
from xinshao.exports.kinds import Table, export_kind
from xinshao.exports.lists import CHUNK, when

from . import selectors


def _student(call) -> str:
    return f"{call.student.name}（{call.student.school.name}）" if call.student else _("身份不明")


def _calls_table(title, calls, columns, row) -> Table:
    """One list of calls; a call about a known student names them (a call may be about no one known)."""
    names: set[int] = set()

    def rows():
        for call in calls.iterator(chunk_size=CHUNK):
            if call.student_id:
                names.add(call.student_id)
            yield row(call)

    return Table(title=title, columns=columns, rows=rows(), count=calls.count(), student_ids=names)


@export_kind("hotline_calls", title=gettext_lazy("来电记录"), may=scopes.can_read_calls)
def call_tables(user, params):
    calls, _mine = selectors.call_log(user, params)

    def row(call) -> list:
        callback = _("待回电") if call.callback_open else (_("已回电") if call.callback_done_at else "")
        return [when(call.started_at), call.get_call_type_display(), call.get_caller_type_display(),
                _student(call), call.get_risk_display(), callback, str(call.operator)]

    yield _calls_table(_("来电记录"), calls, [_("来电时间"), _("来电类型"), _("来电人"), _("学生"), _("风险评估"),
                                           _("回电"), _("接线员")], row)


@export_kind("hotline_callbacks", title=gettext_lazy("待回电"), may=scopes.can_read_calls)
def callback_tables(user, params):
    calls = selectors.callbacks_open(scopes.calls_visible_to(user).defer("notes", "callback_outcome"))

    def row(call) -> list:
        return [when(call.callback_due_at), when(call.started_at), _student(call), call.get_risk_display(),
                str(call.operator)]

    yield _calls_table(_("待回电"), calls, [_("回电期限"), _("来电时间"), _("学生"), _("风险评估"), _("接线员")], row)
