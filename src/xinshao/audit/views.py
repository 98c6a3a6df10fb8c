"""The bureau's audit pages: who looked at a student, what a user looked at, unusual access.
Reading them is audited too."""
from datetime import timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from xinshao.access import scopes
from xinshao.access.routes import BUREAU_ADMIN, EVERYONE, PSYCH_CENTRE, access_rule
from xinshao.accounts.models import BreakGlassGrant, User
from xinshao.audit import selectors
from xinshao.audit.forms import AuditSearchForm
from xinshao.audit.services import audit_record
from xinshao.core.pages import require

AUDIT_READERS = BUREAU_ADMIN | PSYCH_CENTRE
PAGE_SIZE = 50
UNUSUAL_DAYS = 7


@access_rule(allow=AUDIT_READERS, forbidden=EVERYONE - AUDIT_READERS)
def search(request):
    require(scopes.can_search_audit(request.user))
    form = AuditSearchForm(request.GET or None)
    page, students_found = None, []
    if form.is_valid():
        students = scopes.students_audit_searchable_by(request.user)
        if form.cleaned_data["student"]:
            wanted = form.cleaned_data["student"]
            students = students.filter(name=wanted) | students.filter(student_number=wanted)
            students_found = list(students[:20])
        actor_ids = None
        if form.cleaned_data["username"]:
            actor_ids = list(User.objects.filter(username=form.cleaned_data["username"]).values_list("id", flat=True))
        since, until = form.bounds()
        entries = selectors.audit_entries_search(students=students, actor_ids=actor_ids, since=since, until=until)
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
        audit_record(actor=request.user, action="audit.search_viewed", request=request,
                     detail={key: str(value) for key, value in form.cleaned_data.items() if value})
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/search.html", {
        "form": form, "page": page, "students_found": students_found, "query_string": query.urlencode(),
    }, status=400 if form.errors else 200)


@access_rule(allow=AUDIT_READERS, forbidden=EVERYONE - AUDIT_READERS)
def unusual(request):
    require(scopes.can_search_audit(request.user))
    until = timezone.now()
    since = until - timedelta(days=UNUSUAL_DAYS)
    students = scopes.students_audit_searchable_by(request.user)
    readers = selectors.unusual_readers(students=students, since=since, until=until,
                                        threshold=settings.XINSHAO_UNUSUAL_ACCESS_STUDENTS)
    grants = BreakGlassGrant.objects.filter(student__in=students, granted_at__gte=since).select_related(
        "user", "student__school")
    audit_record(actor=request.user, action="audit.unusual_access_viewed", request=request)
    return render(request, "audit/unusual.html", {
        "readers": readers, "grants": grants, "days": UNUSUAL_DAYS,
        "threshold": settings.XINSHAO_UNUSUAL_ACCESS_STUDENTS,
    })
