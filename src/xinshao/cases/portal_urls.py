"""The agency portal, mounted at /agency/: clinicians see and answer referrals to their own agency."""
from django.urls import path

from xinshao.cases import portal_views

app_name = "agency"
urlpatterns = [
    path("", portal_views.referral_list, name="list"),
    path("<int:referral_id>/", portal_views.referral_detail, name="detail"),
    path("<int:referral_id>/accept/", portal_views.referral_accept, name="accept"),
    path("<int:referral_id>/decline/", portal_views.referral_decline, name="decline"),
    path("<int:referral_id>/seen/", portal_views.referral_seen, name="seen"),
    path("<int:referral_id>/feedback/", portal_views.referral_feedback, name="feedback"),
]
