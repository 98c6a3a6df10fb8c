"""What every form page does the same way: a service's refusal shown on the form, and a page that
answers 400 while any of its forms has errors (so a test, a proxy and a screen reader all know)."""
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render


def require(allowed: bool) -> None:
    """A page this user may not use at all answers 403 (one out of their scope answers 404 before)."""
    if not allowed:
        raise PermissionDenied


def refused_onto(form, write: Callable):
    """Run a service write; if it refuses, its messages become the form's errors (next to the field
    it names, else above the form) and None is returned. The service's transaction kept nothing."""
    try:
        return write()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            form.add_error(None, error.messages)
        return None


def refused_flash(request, write: Callable, done: str) -> bool:
    """Run a service write from a button, with no form to show errors on: the refusal's messages,
    or `done`, are flashed for the page the view redirects to. True when the write went through."""
    try:
        write()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, done)
    return True


def form_page(request, template: str, context: dict):
    """Render a page of forms: 400 when any context entry named "...form" has errors."""
    bad = any(getattr(form, "errors", None) for key, form in context.items() if key.endswith("form"))
    return render(request, template, context, status=400 if bad else 200)
