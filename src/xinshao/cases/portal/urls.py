"""The agency portal, mounted at /agency/: clinicians see and answer referrals to their own agency."""
from django.urls import path

from xinshao.cases.portal import views

app_name = "agency"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("<int:referral_id>/", views.referral_detail, name="detail"),
    path("<int:referral_id>/accept/", views.referral_accept, name="accept"),
    path("<int:referral_id>/decline/", views.referral_decline, name="decline"),
    path("<int:referral_id>/seen/", views.referral_seen, name="seen"),
    path("<int:referral_id>/feedback/", views.referral_feedback, name="feedback"),
]
