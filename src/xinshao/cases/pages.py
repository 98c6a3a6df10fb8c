"""How every case page finds its case: 403 for a role with no case pages, 404 for a case out of sight."""
from django.core.exceptions import PermissionDenied
from django.http import Http404

from xinshao.access import scopes
from xinshao.cases.models import Case


def case_for_page(request, case_id: int) -> Case:
    if not scopes.can_use_case_pages(request.user):
        raise PermissionDenied
    case = scopes.cases_visible_to(request.user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case
