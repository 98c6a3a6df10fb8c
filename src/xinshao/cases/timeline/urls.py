"""Timeline routes (the case's story, and what a school wrote after a case left it), included into
the "cases" namespace at /cases/ by cases/urls.py."""
from django.urls import path

from xinshao.cases.timeline import views

urlpatterns = [
    path("<int:case_id>/timeline/", views.timeline, name="timeline"),
    path("<int:case_id>/timeline.pdf", views.timeline_pdf, name="timeline_pdf"),
    path("written/", views.written_by_school, name="written_by_school"),
    path("written/<int:case_id>/", views.written_by_school_case, name="written_by_school_case"),
]
