"""What the walks of sensitive reads hold each read to: the pages' (audit/tests/test_sensitive_reads.py)
and the API's (api/tests/test_api_sensitive_reads.py)."""
from xinshao.access.tests.test_page_matrix import ALLOWED, ROLE_OF, expected_answer
from xinshao.audit.models import AuditEntry

# URL keywords that name a student or a record about one.
STUDENT_RECORD_KEYWORDS = {
    "student_id", "case_id", "alert_id", "plan_id", "record_id", "session_id", "followup_id",
    "referral_id", "help_request_id", "assignment_id", "person_id",
}


def readers(rule, side, owners) -> list[str]:
    """Every person of the test city the rule lets in (a list may be empty for some: the bureau sees only red alerts)."""
    return [name for name in ROLE_OF if expected_answer(rule, name, side, owners) == ALLOWED]


def names_whom_it_is_about(entry: AuditEntry) -> bool:
    """The entry names the person whose record was read: a student (one, or the students of a list), or
    the teacher whose confidential well-being result it is (campaigns: "teacher", "teachers")."""
    detail = entry.detail
    return bool(entry.student_id or detail.get("students") or detail.get("teacher") or detail.get("teachers"))


def entries_naming_someone(user, read) -> list[str]:
    """The actions of the entries `user` left while `read()` (a test client's request) answered 200 that
    name whom the record is about."""
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = read()
    assert response.status_code == 200, f"{response.request['PATH_INFO']} as {user.username}: {response.status_code}"
    return [entry.action for entry in AuditEntry.objects.filter(id__gt=last, actor_id=user.pk)
            if names_whom_it_is_about(entry)]
