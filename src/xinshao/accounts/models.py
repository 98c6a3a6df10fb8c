"""Users and their role assignments. A user may hold several roles, each scoped to one unit."""
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinshao.accounts.roles import SCOPE_FIELD, SCOPE_FIELDS, Role


class User(AbstractUser):
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=20, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.username


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
