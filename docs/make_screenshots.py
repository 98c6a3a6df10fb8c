"""Take the screenshots in docs/screenshots from a running demo (make demo).

    .venv/bin/python docs/make_screenshots.py [--base http://127.0.0.1:8000] [NAME ...]

Drives Debian's chromium through Playwright, signs in as demo users, saves PNGs.
"""
import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).parent / "screenshots"
PASSWORD = "xinshao-demo"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
# (file name, user, path after sign-in, viewport)
SHOTS = [
    ("login-phone", None, "/accounts/login/", PHONE),
    ("home-psych-teacher-phone", "s002.psych1", "/", PHONE),
    ("home-bureau-admin", "bureau.admin", "/", DESKTOP),
    ("overview-bureau-analyst", "bureau.analyst", "/overview/", DESKTOP),
    ("students-psych-teacher", "s002.psych1", "/students/", DESKTOP),
    ("class-teacher-phone", "s002.j1-1.teacher", "/org/my-classes/", PHONE),
    ("roster-import-school-admin", "s002.admin", "/rosters/", DESKTOP),
    # Early warning (docs/early-warning.md); alert 1 is the demo's overdue red alert.
    ("alert-inbox-psych-teacher", "s001.psych1", "/alerts/", DESKTOP),
    ("alert-detail-psych-teacher", "s001.psych1", "/alerts/1/", DESKTOP),
    # Alert 4 is the demo screening's red alert (demo/screening.py): its reason in words, on a phone.
    ("alert-detail-psych-teacher-phone", "s002.psych1", "/alerts/4/", PHONE),
    ("campaign-list-psych-teacher", "s002.psych1", "/campaigns/", DESKTOP),
    ("alert-rules-bureau-admin", "bureau.admin", "/alerts/rules/", DESKTOP),
    ("alert-rules-school-phone", "s001.psych1", "/alerts/rules/school/1/", PHONE),
    ("committee-report-phone", "s001.p4-1.committee", "/care/report/", PHONE),
    ("checkin-student-phone", "s001.student1", "/care/checkin/", PHONE),
    ("self-help-student-phone", "s001.student1", "/care/self-help/", PHONE),
    ("attention-list-class-teacher-phone", "s001.p4-1.teacher", "/care/attention/", PHONE),
    # Case management (docs/cases.md); case 1 and referral 1 are the demo's.
    ("case-list-psych-teacher", "s001.psych1", "/cases/", DESKTOP),
    ("case-detail-psych-teacher", "s001.psych1", "/cases/1/", DESKTOP),
    ("case-timeline-psych-teacher", "s001.psych1", "/cases/1/timeline/", DESKTOP),
    ("agency-portal-clinician", "mhc.doctor1", "/agency/1/", DESKTOP),
    # Inspections (docs/governance.md): round 2 is the demo's round in progress; rectification 10 is
    # S001's item submitted with evidence, waiting for inspector1's sign-off.
    ("governance-round-inspector", "inspector1", "/governance/rounds/2/", DESKTOP),
    ("governance-rectification-school", "s001.psych1", "/governance/rectifications/10/", PHONE),
    # Partner agencies and agreements (docs/partners.md): the bureau's agreements with the coverage per
    # agency; a school's agency list on a phone; the referral form with the agreement marks (case 1).
    ("partners-agreements-bureau", "bureau.admin", "/partners/agreements/", DESKTOP),
    ("partners-agencies-school-phone", "s001.psych1", "/partners/", PHONE),
    ("partners-referral-form", "s001.psych1", "/cases/1/referrals/new/", DESKTOP),
    # Activities entering campus (docs/activities.md): a school user looks up "启航" on a phone (the
    # demo's lecture approved at S001 today); an applicant's own list; the bureau's teacher-load page.
    ("activities-register-lookup", "s001.p1-1.teacher", "/activities/register/?q=%E5%90%AF%E8%88%AA", PHONE),
    ("activities-applications-applicant", "qihang.applicant", "/activities/applications/", PHONE),
    ("activities-teacher-load-bureau", "bureau.admin", "/activities/load/", DESKTOP),
    # Counseling (docs/counseling.md): a student chooses a time; the bureau's room compliance table.
    ("counseling-booking-student-phone", "s001.student1", "/counseling/book/", PHONE),
    ("counseling-rooms-bureau", "bureau.admin", "/counseling/compliance/", DESKTOP),
    # The city hotline (docs/hotline.md): the operator's call form; the centre's statistics.
    ("hotline-call-form", "hotline1", "/hotline/calls/new/", DESKTOP),
    ("hotline-statistics", "psych.centre", "/hotline/statistics/", DESKTOP),
    # Local norms (docs/norms.md): the demo's PHQ-A table (reliability; groups too small withheld).
    ("norms-table-analyst", "bureau.analyst", "/norms/1/", DESKTOP),
    # The growth record (docs/records.md) of the demo screening's student with the red ASQ alert.
    ("growth-record-psych-teacher", "s002.psych1", "/records/students/458/", DESKTOP),
    # Workforce (docs/workforce.md): the city's certification rate against its target; a school's register
    # on a phone; training 2 is the demo's C证 training in progress, with its trainees' attendance.
    ("workforce-certification-bureau", "bureau.admin", "/workforce/certification/", DESKTOP),
    ("workforce-school-admin-phone", "s001.admin", "/workforce/school/", PHONE),
    ("workforce-training-bureau", "bureau.admin", "/workforce/trainings/2/", DESKTOP),
    # Dashboards (docs/dashboards.md): the city for an aggregate-only reader (small cells hidden); a
    # school for its psych teacher (with the named lists); a class for its teacher, on a phone.
    ("dashboard-city-analyst", "bureau.analyst", "/dashboards/city/", DESKTOP),
    ("dashboard-school-psych-teacher", "s002.psych1", "/dashboards/school/", DESKTOP),
    ("dashboard-school-admin", "s002.admin", "/dashboards/school/", DESKTOP),
    ("dashboard-class-teacher-phone", "s002.j1-1.teacher", "/dashboards/class/", PHONE),
    # Exports (docs/exports.md), handovers (docs/records.md), API tokens (docs/api.md), audit search
    # and unusual access (docs/security.md).
    ("exports-psych-teacher", "s001.psych1", "/exports/", DESKTOP),
    ("handovers-psych-teacher", "s002.psych1", "/records/handovers/", DESKTOP),
    ("api-tokens-psych-teacher", "s001.psych1", "/api/tokens/", DESKTOP),
    ("api-docs", "s001.psych1", "/api/v1/docs", DESKTOP),
    ("audit-search-bureau", "bureau.admin", "/audit/search/", DESKTOP),
    ("audit-unusual-bureau", "bureau.admin", "/audit/unusual/", DESKTOP),
    # Webhooks (docs/api.md), access approval, compliance report (docs/compliance.md), retention
    # (docs/retention.md) and the review of referrals made without consent (docs/consent.md).
    ("webhooks-bureau-admin", "bureau.admin", "/webhooks/", DESKTOP),
    ("access-approval-bureau-admin", "bureau.admin", "/compliance/access/pending/", DESKTOP),
    ("compliance-report-bureau-admin", "bureau.admin", "/compliance/report/", DESKTOP),
    ("retention-policies-bureau-admin", "bureau.admin", "/retention/", DESKTOP),
    ("consent-overrides-psych-centre", "psych.centre", "/consent/overrides/", DESKTOP),
    # Leaving school (docs/retention.md): student 456 is at S002; 577 is the demo's student who moved away.
    ("student-leave-school-admin", "s002.admin", "/students/456/leave/", DESKTOP),
    ("student-left-school-admin", "s002.admin", "/students/577/", DESKTOP),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("names", nargs="*", help="take only these shots (default: all)")
    arguments = parser.parse_args()
    base = arguments.base
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for name, username, path, viewport in SHOTS:
            if arguments.names and name not in arguments.names:
                continue
            context = browser.new_context(viewport=viewport, locale="zh-CN")
            page = context.new_page()
            if username:
                page.goto(f"{base}/accounts/login/")
                page.get_by_label("用户名").fill(username)
                page.get_by_label("密码").fill(PASSWORD)
                page.get_by_role("button", name="登录").click()
                page.wait_for_url(f"{base}/")
            page.goto(f"{base}{path}", wait_until="networkidle")  # pages drawn by script (API docs) finish
            page.screenshot(path=OUT / f"{name}.png", full_page=viewport is PHONE)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
