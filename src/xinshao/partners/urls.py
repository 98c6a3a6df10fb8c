from django.urls import path

from xinshao.partners import views

app_name = "partners"
urlpatterns = [
    path("", views.agency_list, name="agencies"),
    path("agencies/new/", views.agency_new, name="agency_new"),
    path("agencies/<int:agency_id>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:agency_id>/edit/", views.agency_edit, name="agency_edit"),
    path("agencies/<int:agency_id>/contacts/new/", views.contact_new, name="contact_new"),
    path("contacts/<int:contact_id>/", views.contact_edit, name="contact_edit"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/expiring/", views.expiring_list, name="expiring"),
    path("agreements/new/", views.agreement_new, name="agreement_new"),
    path("agreements/<int:agreement_id>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:agreement_id>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:agreement_id>/document/", views.agreement_document, name="agreement_document"),
    path("agreements/<int:agreement_id>/document.pdf", views.agreement_file, name="agreement_file"),
    path("agreements/<int:agreement_id>/activate/", views.agreement_activate, name="agreement_activate"),
    path("agreements/<int:agreement_id>/terminate/", views.agreement_terminate, name="agreement_terminate"),
]
