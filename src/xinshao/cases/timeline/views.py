"""The case's story: the timeline page and its PDF, and — after a transfer — what the old school wrote.

The timeline is for the case's psych staff (scopes.can_read_case_clinical); a class teacher on the
team gets 403 (the case is theirs to see, its whole story is not), anyone else 404. Its PDF carries
the session notes, so only scopes.can_read_case_notes readers print it.
Each reading or printing is audited (timeline.timeline_read).
"""
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from xinshao.access import scopes
from xinshao.access.routes import (
    CASE_NOTE_READERS,
    CASE_READERS_WITHOUT_NOTES,
    PSYCH_TEACHER,
    SCHOOL_ADMIN,
    access_rule,
)
from xinshao.audit.services import audit_list_view
from xinshao.cases.timeline import selectors as story
from xinshao.cases.pages import case_for_page

PAGE_SIZE = 50


@access_rule(sensitive=True, allow=CASE_NOTE_READERS, forbidden=CASE_READERS_WITHOUT_NOTES)
@require_GET
def timeline(request, case_id: int):
    case = case_for_page(request, case_id, may=scopes.can_read_case_clinical)
    with_notes = scopes.can_read_case_notes(request.user, case)
    read = story.timeline_read(case=case, viewer=request.user, request=request, action="cases.timeline_viewed",
                               with_notes=with_notes)
    return render(request, "cases/timeline/page.html", {
        "case": case, "timeline": read, "with_notes": with_notes,
        "may_print": with_notes,
    })


@access_rule(sensitive=True, allow=CASE_NOTE_READERS, forbidden=CASE_READERS_WITHOUT_NOTES)
@never_cache
@require_GET
def timeline_pdf(request, case_id: int):
    case = case_for_page(request, case_id, may=scopes.can_read_case_notes)
    read = story.timeline_read(case=case, viewer=request.user, request=request, action="cases.timeline_printed",
                               with_notes=True)
    response = HttpResponse(story.timeline_pdf(read, printed_by=request.user, request=request),
                            content_type="application/pdf")
    # The file name carries no student's name: downloads folders are not private.
    response["Content-Disposition"] = content_disposition_header(True, f"case-{case.pk}-timeline.pdf")
    return response


# --- after a transfer: what the old school wrote -------------------------------------------

def _require_record_keeper(user) -> None:
    if not scopes.schools_keeping_case_records(user).exists():
        raise PermissionDenied


@access_rule(allow=PSYCH_TEACHER | SCHOOL_ADMIN, others=403)
@require_GET
def written_by_school(request):
    _require_record_keeper(request.user)
    page = Paginator(scopes.cases_that_left(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(case, case.handovers.select_related("to_school").order_by("-handed_over_at").first()) for case in page]
    audit_list_view(actor=request.user, action="cases.written_list_viewed",
                    students=[case.student_id for case, _ in rows], request=request)
    return render(request, "cases/timeline/written_list.html", {"page": page, "rows": rows})


# The matrix's case that left is yellow: its old school's admin reads red ones only (cases_that_left).
@access_rule(sensitive=True, allow=PSYCH_TEACHER.of_school)
@require_GET
def written_by_school_case(request, case_id: int):
    case = get_object_or_404(scopes.cases_that_left(request.user), pk=case_id)
    school = story.left_from(request.user, case)
    with_notes = scopes.can_read_school_case_notes(request.user, school)
    read = story.timeline_read(case=case, viewer=request.user, request=request, action="cases.written_viewed",
                               with_notes=with_notes, school_id=school.pk)
    return render(request, "cases/timeline/written_detail.html", {
        "case": case, "school": school, "timeline": read, "with_notes": with_notes,
    })
