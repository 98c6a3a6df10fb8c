from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from xinshao.accounts.models import RoleAssignment, User
from xinshao.accounts.roles import SCOPE_FIELDS, TWO_FACTOR_ROLES

# A change that would give someone a role that sees children (new, another unit, switched back on).
_GRANTING_FIELDS = {"role", *SCOPE_FIELDS, "is_active"}


class RoleAssignmentForm(forms.ModelForm):
    """Roles that see children are granted only by approval (compliance/, docs/compliance.md); the
    admin may still switch any role off, and change roles that see no child."""

    class Meta:
        model = RoleAssignment
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        granting = not self.instance.pk or (set(self.changed_data) & _GRANTING_FIELDS and cleaned.get("is_active"))
        if cleaned.get("role") in TWO_FACTOR_ROLES and granting and cleaned.get("is_active", True):
            raise forms.ValidationError(_("能查看学生信息的角色须经审批：请在“申请访问授权”页面提交，由教育局管理员批准。"))
        return cleaned


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    form = RoleAssignmentForm
    extra = 0
    # Ids instead of drop-downs: a city has thousands of classes and students.
    raw_id_fields = ["region", "school", "school_class", "agency", "student", "guardian"]


@admin.register(User)
class XinshaoUserAdmin(UserAdmin):
    fieldsets = [*UserAdmin.fieldsets, (None, {"fields": ["display_name", "phone"]})]
    list_display = ["username", "display_name", "is_active", "last_login"]
    search_fields = ["username", "display_name"]
    inlines = [RoleAssignmentInline]
