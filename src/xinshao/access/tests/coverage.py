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
    # sentinel/tests/test_access.py: every role on each, own and other school, and anonymous visitors
    "sentinel:report", "sentinel:report_thanks", "sentinel:checkin", "sentinel:checkin_thanks", "sentinel:self_help",
    "sentinel:records", "sentinel:school_records", "sentinel:record_new", "sentinel:record_detail", "sentinel:refer",
    "sentinel:attention", "sentinel:concern", "sentinel:concern_thanks",
    # notifications/tests/test_pages.py: every role on each, and another user's notification
    "notifications:inbox", "notifications:open", "notifications:read_all", "notifications:unread",
    "notifications:deliveries",
}
