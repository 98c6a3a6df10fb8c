"""The respondent's side, mounted at /take/: students with a code, teachers and students from their own tasks."""
from django.urls import path

from xinshao.campaigns import respond_views as views

app_name = "respond"
urlpatterns = [
    path("", views.start, name="start"),
    path("mine/", views.my_tasks, name="my_tasks"),
    path("mine/<int:assignment_id>/", views.begin, name="begin"),
    path("mine/<int:assignment_id>/result/", views.my_result, name="my_result"),
    path("mine/<int:assignment_id>/help/", views.help_request, name="help_request"),
    path("answer/", views.questionnaire, name="questionnaire"),
    path("answer/draft/", views.draft, name="draft"),
    path("answer/submit/", views.submit, name="submit"),
    path("answer/pause/", views.leave, name="leave"),
    path("answer/offline.js", views.offline_worker, name="offline_worker"),
    path("done/", views.done, name="done"),
]
