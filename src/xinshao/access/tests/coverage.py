"""Routes whose role × school access matrix lives in their own app's tests."""
ROUTES_TESTED_IN_APPS: set[str] = set()
