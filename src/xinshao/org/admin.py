"""Configuration screens for the system operator (superuser): the city's structure.

Students are deliberately absent: they are read and changed only through the scoped pages,
which audit every access.
"""
from django.contrib import admin

from xinshao.org.models import OutsideBody, PartnerAgency, Region, School, Term


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "ownership", "district", "is_active"]
    list_filter = ["kind", "ownership", "district", "is_active"]
    search_fields = ["code", "name"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on"]


@admin.register(PartnerAgency)
class PartnerAgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind"]


@admin.register(OutsideBody)
class OutsideBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "contact_person", "contact_phone"]
    search_fields = ["name", "credit_code"]
