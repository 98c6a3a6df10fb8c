"""Writes of access tokens: make one (its secret is returned once and only its hash kept), revoke
one, note its use. Each make and revoke writes an audit entry."""
import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinshao.api.models import AccessToken
from xinshao.audit.services import audit_record

SECRET_PREFIX = "xs_"
MAX_LIFETIME_DAYS = 366
# A token's last use is written at most this often: a busy integration does not write on every request.
LAST_USED_GRANULARITY = datetime.timedelta(minutes=1)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: AccessToken
    secret: str  # shown once; never stored


@transaction.atomic
def token_create(*, owner, name: str, scope: str, expires_on: datetime.date, now=None, request=None) -> NewToken:
    now = now or timezone.now()
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("请给令牌起一个名称，说明它给哪个系统用。"))
    if scope not in AccessToken.Scope.values:
        raise ValidationError(_("权限只能是只读或读写。"))
    today = timezone.localdate(now)
    if not today < expires_on <= today + datetime.timedelta(days=MAX_LIFETIME_DAYS):
        raise ValidationError(_("有效期须在明天到 %(days)s 天之内。") % {"days": MAX_LIFETIME_DAYS})
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.make_aware(datetime.datetime.combine(expires_on, datetime.time.max))
    token = AccessToken.objects.create(owner=owner, name=name, scope=scope, secret_sha256=secret_hash(secret),
                                       prefix=secret[:len(SECRET_PREFIX) + 6], expires_at=expires_at)
    audit_record(actor=owner, action="api.token_created", obj=token, request=request,
                 detail={"scope": scope, "expires_at": expires_at.isoformat()})
    return NewToken(token=token, secret=secret)


@transaction.atomic
def token_revoke(*, token: AccessToken, actor, now=None, request=None) -> AccessToken:
    token = AccessToken.objects.select_for_update().get(pk=token.pk)
    if token.owner_id != actor.pk:
        raise ValidationError(_("只能撤销自己的令牌。"))
    if token.revoked_at is not None:
        raise ValidationError(_("这个令牌已经撤销了。"))
    token.revoked_at = now or timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="api.token_revoked", obj=token, request=request)
    return token


def token_used(*, token: AccessToken, now) -> None:
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
