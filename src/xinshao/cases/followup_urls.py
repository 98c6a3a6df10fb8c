"""Routes of follow-ups, the timeline and transfers, included in the "cases" namespace at /cases/."""
from django.urls import path

from xinshao.cases import followup_views, handover_views, timeline_views

urlpatterns = [
    path("<int:case_id>/follow-ups/new/", followup_views.followup_new, name="followup_new"),
    path("<int:case_id>/follow-ups/<int:followup_id>/done/", followup_views.followup_done, name="followup_done"),
    path("<int:case_id>/follow-ups/<int:followup_id>/waive/", followup_views.followup_waive, name="followup_waive"),
    path("overdue/", followup_views.overdue, name="overdue_follow_ups"),
    path("<int:case_id>/timeline/", timeline_views.timeline, name="timeline"),
    path("<int:case_id>/timeline.pdf", timeline_views.timeline_pdf, name="timeline_pdf"),
    path("written/", timeline_views.written_by_school, name="written_by_school"),
    path("written/<int:case_id>/", timeline_views.written_by_school_case, name="written_by_school_case"),
    path("transfer/<int:student_id>/", handover_views.transfer, name="transfer"),
]
