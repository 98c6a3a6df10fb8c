from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from xinshao.access.routes import EVERYONE, access_rule
from xinshao.operations.readiness import readiness


@access_rule(allow=EVERYONE, public=True)
@login_not_required
@never_cache
@require_safe
def health(request):
    """Liveness: the process answers. Touches nothing else, so a database outage restarts no server."""
    return JsonResponse({"status": "ok"})


@access_rule(allow=EVERYONE, public=True)
@login_not_required
@never_cache
@require_safe
def ready(request):
    """Readiness: this server can do its work now (database, migrations, broker, cache)."""
    checks = readiness()
    is_ready = all(checks.values())
    return JsonResponse(
        {"status": "ready" if is_ready else "not ready",
         "checks": {name: "ok" if passed else "failed" for name, passed in checks.items()}},
        status=200 if is_ready else 503,
    )
