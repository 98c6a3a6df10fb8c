"""Routes whose role × school access matrix lives in their own app's tests."""
ROUTES_TESTED_IN_APPS: set[str] = {
    # rosters/tests/test_pages.py tries every role on each, own and other school
    "rosters:import", "rosters:school_import", "rosters:template", "rosters:run",
    # instruments/tests/test_pages.py
    "instruments:library", "instruments:definition", "instruments:upload",
}
