"""The "consent" namespace at /consent/: one student's consents, the guardian's online answers and
withdrawals of referral consent, and the bureau psych centre's review of emergency overrides."""
from django.urls import path

from xinshao.consent import views

app_name = "consent"
urlpatterns = [
    path("students/<int:student_id>/", views.student_consents, name="student"),
    path("cases/<int:case_id>/ask/", views.referral_ask, name="referral_ask"),
    path("referral-requests/<int:consent_request_id>/answer/", views.referral_answer, name="referral_answer"),
    path("referral-consents/<int:referral_consent_id>/withdraw/", views.referral_withdraw, name="referral_withdraw"),
    path("overrides/", views.override_list, name="overrides"),
    path("overrides/<int:override_id>/review/", views.override_review, name="override_review"),
]
