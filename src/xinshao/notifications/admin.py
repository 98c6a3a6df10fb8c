"""Read-only screens for the system operator: what was notified, and how each delivery went.
Records are made only by services.notify; changing one here would falsify the log."""
from django.contrib import admin

from xinshao.notifications.models import Delivery, Notification


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    fields = ["channel", "status", "attempts", "last_error", "next_attempt_at", "sent_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "topic", "subject", "urgent", "read_at"]
    list_filter = ["urgent", "topic"]
    raw_id_fields = ["recipient"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "notification", "channel", "status", "attempts", "last_error", "sent_at"]
    list_filter = ["status", "channel"]
    raw_id_fields = ["notification"]
