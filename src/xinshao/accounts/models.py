"""Users and their role assignments. A user may hold several roles, each scoped to one unit."""
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from xinshao.accounts.roles import SCOPE_FIELD, SCOPE_FIELDS, Role
from xinshao.core.crypto import EncryptedTextField


class User(AbstractUser):
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    # Raised by "sign out everywhere": it is part of the session hash, so every session made
    # before the raise stops matching and Django signs it out on its next request.
    session_generation = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.display_name or self.username

    def _get_session_auth_hash(self, secret=None):
        # Django's own hash covers the password only; both get_session_auth_hash and its
        # SECRET_KEY_FALLBACKS variant call this method.
        return salted_hmac("xinshao.accounts.User.session_auth_hash",
                           f"{self.password}:{self.session_generation}", secret=secret,
                           algorithm="sha256").hexdigest()


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    region = models.ForeignKey("org.Region", null=True, blank=True, on_delete=models.CASCADE)
    school = models.ForeignKey("org.School", null=True, blank=True, on_delete=models.CASCADE)
    school_class = models.ForeignKey("org.SchoolClass", null=True, blank=True, on_delete=models.CASCADE)
    agency = models.ForeignKey("org.PartnerAgency", null=True, blank=True, on_delete=models.CASCADE)
    outside_body = models.ForeignKey("org.OutsideBody", null=True, blank=True, on_delete=models.CASCADE)
    student = models.ForeignKey("people.Student", null=True, blank=True, on_delete=models.CASCADE)
    guardian = models.ForeignKey("people.Guardian", null=True, blank=True, on_delete=models.CASCADE)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        indexes = [models.Index(fields=["user", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope}"

    @property
    def scope(self):
        return getattr(self, SCOPE_FIELD[self.role])

    def clean(self) -> None:
        """Exactly the scope field the role needs is set, and no other."""
        needed = SCOPE_FIELD.get(self.role)
        if needed is None:
            raise ValidationError({"role": _("未知角色")})
        if getattr(self, f"{needed}_id") is None:
            raise ValidationError({needed: _("该角色必须指定所属单位")})
        extra = [field for field in SCOPE_FIELDS if field != needed and getattr(self, f"{field}_id") is not None]
        if extra:
            raise ValidationError(_("该角色只能指定一个所属单位"))


class TotpDevice(models.Model):
    """A staff member's authenticator app (RFC 6238, 30-second codes). The shared secret is
    encrypted at rest; `last_step` refuses a code used once from being used again."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = EncryptedTextField()
    confirmed_at = models.DateTimeField(_("启用时间"), null=True, blank=True)
    last_step = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("动态口令设备")
        verbose_name_plural = _("动态口令设备")


class RecoveryCode(models.Model):
    """A one-time code for signing in without the phone; only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=128)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("备用码")
        verbose_name_plural = _("备用码")


class BreakGlassGrant(models.Model):
    """Emergency access of a bureau psych centre user to one student outside their usual scope,
    given on a written reason and valid for a few hours (accounts/break_glass.py)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="break_glass_grants")
    student = models.ForeignKey("people.Student", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("理由"))
    granted_at = models.DateTimeField(_("开启时间"))
    expires_at = models.DateTimeField(_("失效时间"), db_index=True)

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("紧急访问")
        verbose_name_plural = _("紧急访问")
