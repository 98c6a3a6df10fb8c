"""Security headers Django 5.2 does not send itself: a Content-Security-Policy allowing scripts and
styles from this server only (no inline script, no outside host: the pages work in a closed
school network and an injected script cannot run)."""
from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response
