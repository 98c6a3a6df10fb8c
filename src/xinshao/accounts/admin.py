from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from xinshao.accounts.models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    # Ids instead of drop-downs: a city has thousands of classes and students.
    raw_id_fields = ["region", "school", "school_class", "agency", "student", "guardian"]


@admin.register(User)
class XinshaoUserAdmin(UserAdmin):
    fieldsets = [*UserAdmin.fieldsets, (None, {"fields": ["display_name", "phone"]})]
    list_display = ["username", "display_name", "is_active", "last_login"]
    search_fields = ["username", "display_name"]
    inlines = [RoleAssignmentInline]
