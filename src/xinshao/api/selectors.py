"""Reads of access tokens."""
from django.db.models import QuerySet

from xinshao.api.models import AccessToken
from xinshao.api.services import secret_hash


def tokens_of(user) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(owner=user)


def token_for_secret(secret: str) -> AccessToken | None:
    return AccessToken.objects.filter(secret_sha256=secret_hash(secret)).select_related("owner").first()
