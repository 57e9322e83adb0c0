from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from medoffice.accounts.models import ApiToken, EmergencyAccess, RolePolicy, User


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "groups")
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Display", {"fields": ("display_name",)}))


@admin.register(RolePolicy)
class RolePolicyAdmin(admin.ModelAdmin):
    list_display = ("group", "mfa_required")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "token_hash",
        "created_at",
        "last_used_at",
        "revoked_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(EmergencyAccess)
class EmergencyAccessAdmin(admin.ModelAdmin):
    list_display = ("user", "target_type", "target_id", "granted_at", "expires_at", "reviewed_at")
    list_filter = ("reviewed_at",)
    readonly_fields = (
        "user",
        "reason",
        "target_type",
        "target_id",
        "patient_id",
        "granted_at",
        "expires_at",
    )
