"""The page for API tokens (mounted at /api/tokens/): make one (its secret is shown once, on the
answer to the form, and never again), see one's own tokens, revoke one. A token acts as its owner,
so anyone signed in may make tokens for themself; nobody sees or revokes another's."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from xinshao.access.routes import EVERYONE, access_rule
from xinshao.api import selectors, services
from xinshao.api.forms import TokenForm
from xinshao.core.pages import form_page, refused_onto


@access_rule(allow=EVERYONE)
@never_cache  # the answer to the form carries the secret: no cache keeps it
@require_http_methods(["GET", "POST"])
def tokens(request):
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        created = refused_onto(form, lambda: services.token_create(
            owner=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"],
            expires_on=form.cleaned_data["expires_on"], request=request))
        if created:
            form = TokenForm()
    return form_page(request, "api/tokens.html", {
        "form": form, "created": created, "tokens": selectors.tokens_of(request.user), "now": timezone.now()})


@access_rule(allow=EVERYONE.own, post_only=True)
@require_POST
def token_revoke(request, token_id: int):
    token = get_object_or_404(selectors.tokens_of(request.user), pk=token_id)
    try:
        services.token_revoke(token=token, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("令牌“%(name)s”已撤销，它不能再使用。") % {"name": token.name})
    return redirect("api:tokens")
