"""Routes whose role × school access matrix lives in their own app's tests."""
ROUTES_TESTED_IN_APPS: set[str] = {
    # rosters/tests/test_pages.py tries every role on each, own and other school
    "rosters:import", "rosters:school_import", "rosters:template", "rosters:run",
    # instruments/tests/test_pages.py
    "instruments:library", "instruments:definition", "instruments:upload",
    # campaigns/tests/test_staff_access.py
    "campaigns:list", "campaigns:create", "campaigns:detail", "campaigns:progress", "campaigns:progress_numbers",
    "campaigns:help_requests", "campaigns:help_request",  # campaigns/tests/test_staff_help_requests.py
    "campaigns:change", "campaigns:consent", "campaigns:class_sheet", "campaigns:school_sheet", "campaigns:family",
    # campaigns/tests/test_respond_access.py: every role and anonymous visitors
    "respond:start", "respond:my_tasks", "respond:begin", "respond:my_result", "respond:help_request",
    "respond:questionnaire", "respond:draft", "respond:submit", "respond:leave", "respond:offline_worker",
    "respond:done",
    # alerts/tests/test_pages.py: every role on each, own and other school, each step of the warning chain
    "alerts:inbox", "alerts:inbox_rows", "alerts:detail", "alerts:act", "alerts:rules", "alerts:school_rules",
    # cases/tests/test_case_pages.py: every role on each, own and other school
    "cases:list", "cases:create", "cases:from_alert", "cases:detail", "cases:change",
    # sentinel/tests/test_access.py: every role on each, own and other school, and anonymous visitors
    "sentinel:report", "sentinel:report_thanks", "sentinel:checkin", "sentinel:checkin_thanks", "sentinel:self_help",
    "sentinel:records", "sentinel:school_records", "sentinel:record_new", "sentinel:record_detail", "sentinel:refer",
    "sentinel:attention", "sentinel:concern", "sentinel:concern_thanks",
    # cases/tests/test_referral_pages.py (school side) and cases/tests/test_portal_access.py (the agency
    # portal): every role on each, own and other school, own and other agency
    "cases:consent_new", "cases:referral_new", "cases:referral_done",
    "agency:list", "agency:detail", "agency:accept", "agency:decline", "agency:seen", "agency:feedback",
    # notifications/tests/test_pages.py: every role on each, and another user's notification
    "notifications:inbox", "notifications:open", "notifications:read_all", "notifications:unread",
    "notifications:deliveries",
    # cases/tests/test_intervention_pages.py: every role on each, own and other school, closed cases
    "cases:session_new", "cases:session_detail", "cases:safety_plan", "cases:safety_plan_new",
    "cases:guardian_contact_new", "cases:action_new", "cases:action_done",
    # cases/tests/test_followups.py: every role on each follow-up page and form, the overdue list per role
    "cases:followup_new", "cases:followup_done", "cases:followup_waive", "cases:overdue_follow_ups",
    # cases/tests/test_timeline.py: every role on the timeline page and its PDF
    "cases:timeline", "cases:timeline_pdf",
    # cases/tests/test_transfer.py: every role on the transfer page and the old school's pages
    "cases:transfer", "cases:written_by_school", "cases:written_by_school_case",
}
