"""Personal access tokens for the REST API (/api/v1/).

Only the SHA-256 of a token's secret is stored: the secret is shown once, when the token is made,
and cannot be read back. A token acts as its owner, never as more: every operation asks the same
scoping selectors as the pages, with the owner as the user.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", _("只读")
        WRITE = "write", _("读写")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(_("名称"), max_length=80)
    scope = models.CharField(_("权限"), max_length=5, choices=Scope.choices, default=Scope.READ)
    secret_sha256 = models.CharField(max_length=64, unique=True)
    # The first characters of the secret, to tell tokens apart in the list; too short to guess the rest.
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("访问令牌")
        verbose_name_plural = _("访问令牌")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now
