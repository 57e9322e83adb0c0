from django.contrib import admin

from medoffice.practice.models import Location, LocationHours, Practice, Provider, Staff


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_name", "tax_id", "group_npi", "phone"]
    search_fields = ["name", "legal_name", "group_npi"]


class LocationHoursInline(admin.TabularInline):
    model = LocationHours
    extra = 0


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "city", "state", "time_zone", "active"]
    list_filter = ["active", "state"]
    search_fields = ["name", "code", "city"]
    inlines = [LocationHoursInline]


@admin.register(LocationHours)
class LocationHoursAdmin(admin.ModelAdmin):
    list_display = ["location", "weekday", "opens", "closes"]
    list_filter = ["location", "weekday"]


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "credentials", "specialty", "npi", "active"]
    list_filter = ["active", "specialty", "locations"]
    search_fields = ["last_name", "first_name", "npi"]
    filter_horizontal = ["locations"]
    raw_id_fields = ["user"]


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["user", "job_title", "phone_extension"]
    list_filter = ["locations"]
    search_fields = ["user__username", "user__last_name", "job_title"]
    filter_horizontal = ["locations"]
