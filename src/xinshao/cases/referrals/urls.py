"""Referral routes of a case (the school side), included into the "cases" namespace at /cases/."""
from django.urls import path

from xinshao.cases.referrals import views

urlpatterns = [
    path("<int:case_id>/consents/new/", views.consent_new, name="consent_new"),
    path("<int:case_id>/referrals/new/", views.referral_new, name="referral_new"),
    path("<int:case_id>/referrals/<int:referral_id>/done/", views.referral_done, name="referral_done"),
]
