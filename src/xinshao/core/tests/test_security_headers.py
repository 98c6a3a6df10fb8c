"""Pages run only this server's scripts: a Content-Security-Policy on every response, and no
template carries an inline script or an on...= handler the policy would (rightly) block."""
import re
from pathlib import Path

from django.test import override_settings

import xinshao

TEMPLATES = sorted(Path(xinshao.__file__).parent.glob("*/templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def _policy(response) -> dict[str, str]:
    return {part.split()[0]: part for part in (p.strip() for p in response["Content-Security-Policy"].split(";"))}


def test_every_response_allows_scripts_from_this_server_only(client, city, client_as):
    for response in (client.get("/accounts/login/"), client_as(city.liu_a).get("/")):
        policy = _policy(response)
        assert policy["script-src"] == "script-src 'self'"
        assert policy["frame-ancestors"] == "frame-ancestors 'none'"
        assert response["X-Frame-Options"] == "DENY"


def test_no_template_has_an_inline_script_or_event_handler():
    assert TEMPLATES
    offending = [f"{path.relative_to(Path(xinshao.__file__).parent)}: {match.group(0)[:60]}"
                 for path in TEMPLATES for pattern in (INLINE_SCRIPT, HANDLER)
                 for match in pattern.finditer(path.read_text(encoding="utf-8"))]
    assert not offending, offending


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_SSL_REDIRECT=False)
def test_hsts_is_sent_only_over_https(client):
    assert "Strict-Transport-Security" in client.get("/accounts/login/", secure=True)
    assert "Strict-Transport-Security" not in client.get("/accounts/login/", secure=False)
