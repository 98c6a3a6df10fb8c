"""What every case page shares: finding its case, and a form page that runs a service.

The access rule is one: a case outside scopes.cases_visible_to answers 404, exactly as an id that
does not exist (a same-school user without rights learns no more than a stranger); a page that
needs more than seeing the case (changing it, reading its notes) answers 403 to someone who may
see it but lacks that capability.
"""
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect

from xinshao.access import scopes
from xinshao.cases.models import Case
from xinshao.core.pages import form_page as core_form_page
from xinshao.core.pages import refused_onto


def case_for_page(request, case_id: int, *, may: Callable | None = None) -> Case:
    """The case, if the user may see it (else 404) and, when given, `may(user, case)` allows the page (else 403)."""
    case = scopes.cases_visible_to(request.user).filter(pk=case_id).first()
    if case is None:
        raise Http404
    if may is not None and not may(request.user, case):
        raise PermissionDenied
    return case


def case_to_change(request, case_id: int) -> Case:
    return case_for_page(request, case_id, may=scopes.can_change_case)


def form_page(request, template: str, form, *, save: Callable, done: str, back: str, context: dict):
    """Show the form; on a valid POST run `save(cleaned_data)`. A refusal by the service becomes a
    form error (its transaction kept nothing) and the page answers 400; success goes to `back`."""
    def saved() -> bool:
        save(form.cleaned_data)
        return True

    if request.method == "POST" and form.is_valid() and refused_onto(form, saved):
        messages.success(request, done)
        return redirect(back)
    return core_form_page(request, template, {**context, "form": form})
