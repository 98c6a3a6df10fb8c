"""Referral pages of a case, included into the "cases" namespace at /cases/."""
from django.urls import path

from xinshao.cases import referral_views

urlpatterns = [
    path("<int:case_id>/consents/new/", referral_views.consent_new, name="consent_new"),
    path("<int:case_id>/referrals/new/", referral_views.referral_new, name="referral_new"),
    path("<int:case_id>/referrals/<int:referral_id>/done/", referral_views.referral_done, name="referral_done"),
]
