from django.urls import path

from xinshao.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("help-requests/", views.help_request_list, name="help_requests"),
    path("help-requests/<int:help_request_id>/", views.help_request_detail, name="help_request"),
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_new, name="create"),
    path("family/", views.family_consent, name="family"),
    path("<int:campaign_id>/", views.campaign_detail, name="detail"),
    path("<int:campaign_id>/change/", views.campaign_change, name="change"),
    path("<int:campaign_id>/progress/", views.campaign_progress, name="progress"),
    path("<int:campaign_id>/progress/numbers/", views.campaign_progress_numbers, name="progress_numbers"),
    path("<int:campaign_id>/consent/", views.campaign_consent, name="consent"),
    path("<int:campaign_id>/sheets/class/<int:class_id>/", views.class_sheet, name="class_sheet"),
    path("<int:campaign_id>/sheets/school/<int:school_id>/", views.school_sheet, name="school_sheet"),
]
