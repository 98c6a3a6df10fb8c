from django.urls import path

from xinshao.governance import views

app_name = "governance"
urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:round_id>/", views.round_detail, name="round_detail"),
    path("rounds/<int:round_id>/state/", views.round_state, name="round_state"),
    path("rounds/<int:round_id>/summary/", views.round_summary, name="round_summary"),
    path("rounds/<int:round_id>/summary.pdf", views.round_summary_pdf, name="round_summary_pdf"),
    path("visits/<int:visit_id>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:visit_id>/findings/", views.visit_findings, name="visit_findings"),
    path("findings/<int:finding_id>/rectify/", views.rectification_new, name="rectification_new"),
    path("rectifications/pending/", views.pending_list, name="pending"),
    path("rectifications/overdue/", views.overdue_list, name="overdue"),
    path("rectifications/school/", views.school_list, name="school_items"),
    path("rectifications/<int:rectification_id>/", views.rectification_detail, name="rectification_detail"),
    path("rectifications/<int:rectification_id>/evidence/", views.rectification_evidence, name="rectification_evidence"),
    path("rectifications/<int:rectification_id>/submit/", views.rectification_submit, name="rectification_submit"),
    path("rectifications/<int:rectification_id>/review/", views.rectification_review, name="rectification_review"),
    path("evidence/<int:evidence_id>/", views.evidence_file, name="evidence_file"),
    path("checklists/", views.checklist_list, name="checklists"),
    path("checklists/<int:checklist_id>/", views.checklist_detail, name="checklist_detail"),
    path("checklist-items/<int:checklist_item_id>/", views.checklist_item_edit, name="checklist_item_edit"),
]
