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
}
