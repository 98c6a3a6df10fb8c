"""Every role × every sentinel page × own vs other school: 200, 302, 403 or 404, written out from
the need-to-know rules (DESIGN.md) rather than computed from the code under test."""
import pytest
from django.urls import reverse

from xinshao.alerts.models import Signal
from xinshao.sentinel.models import CommitteeReport, GuardianConcern, HomeSchoolRecord, SelfCheckIn, TeacherReferral
from xinshao.sentinel.tests.support import classmate, record, record_form

EVERYONE = {"bai", "xin", "fen", "du", "re", "song_a", "song_b", "liu_a", "wang_b", "zhang_a1", "qian_b1",
            "lin_user", "chen_user", "chen_ma_user", "yi", "gao_a"}
STUDENTS = {"lin_user", "chen_user"}
CLASS_TEACHERS = {"zhang_a1", "qian_b1"}

# (label, url name, kwargs from (city, records), {user: code} for those not given `otherwise`, otherwise)
PAGES = [
    ("report", "sentinel:report", lambda c, r: {}, {"lin_user": 200}, 403),
    ("report thanks", "sentinel:report_thanks", lambda c, r: {}, {"lin_user": 200}, 403),
    ("check-in", "sentinel:checkin", lambda c, r: {}, dict.fromkeys(STUDENTS, 200), 403),
    # Only right after a check-in; otherwise back to the check-in page.
    ("check-in thanks", "sentinel:checkin_thanks", lambda c, r: {}, dict.fromkeys(STUDENTS, 302), 403),
    ("self-help", "sentinel:self_help", lambda c, r: {}, dict.fromkeys(EVERYONE, 200), 403),
    ("own records", "sentinel:records", lambda c, r: {}, dict.fromkeys(CLASS_TEACHERS, 200), 403),
    ("school records", "sentinel:school_records", lambda c, r: {}, {"liu_a": 200, "wang_b": 200}, 403),
    ("new record", "sentinel:record_new", lambda c, r: {}, dict.fromkeys(CLASS_TEACHERS, 200), 403),
    ("school A record", "sentinel:record_detail", lambda c, r: {"record_id": r["a"].pk},
     {"zhang_a1": 200, "liu_a": 200}, 404),
    ("school B record", "sentinel:record_detail", lambda c, r: {"record_id": r["b"].pk},
     {"qian_b1": 200, "wang_b": 200}, 404),
    ("no such record", "sentinel:record_detail", lambda c, r: {"record_id": 999999}, {}, 404),
    ("referral", "sentinel:refer", lambda c, r: {}, dict.fromkeys(CLASS_TEACHERS, 200), 403),
    ("attention list", "sentinel:attention", lambda c, r: {}, dict.fromkeys(CLASS_TEACHERS, 200), 403),
    ("guardian concern", "sentinel:concern", lambda c, r: {}, {"chen_ma_user": 200}, 403),
    ("guardian thanks", "sentinel:concern_thanks", lambda c, r: {}, {"chen_ma_user": 200}, 403),
]


@pytest.fixture
def records(city):
    return {"a": record(city.zhang_a1, city.chen), "b": record(city.qian_b1, city.zhou)}


@pytest.mark.parametrize("username", sorted(EVERYONE))
def test_each_role_gets_exactly_the_sentinel_pages_its_scope_allows(city, records, client_as, username):
    client = client_as(getattr(city, username))
    got = {label: client.get(reverse(name, kwargs=kwargs(city, records))).status_code
           for label, name, kwargs, _codes, _otherwise in PAGES}
    assert got == {label: codes.get(username, otherwise) for label, _n, _k, codes, otherwise in PAGES}


def test_anonymous_visitors_are_sent_to_sign_in(city, records, client):
    for label, url_name, kwargs, *_ in PAGES:
        response = client.get(reverse(url_name, kwargs=kwargs(city, records)))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], label


def _forms(city):
    """Each form filled in as its rightful user would; (label, url name, data, {user: code}, otherwise)."""
    wang = classmate(city, "王小明", "A2026010")
    return wang, [
        ("report", "sentinel:report", {"name": wang.name, "concerns": ["low_mood"]}, {"lin_user": 302}, 403),
        ("check-in", "sentinel:checkin", {"mood": "3", "stress": "2"}, dict.fromkeys(STUDENTS, 302), 403),
        # Chen is in class A1: her class teacher may write about her; the class teacher of B1 may not.
        ("record", "sentinel:record_new", record_form(city.chen), {"zhang_a1": 302, "qian_b1": 400}, 403),
        ("referral", "sentinel:refer", {"student": city.chen.pk, "concerns": ["withdrawn"]},
         {"zhang_a1": 302, "qian_b1": 400}, 403),
        ("concern", "sentinel:concern", {"student": city.chen.pk, "concerns": ["sleep_energy"]},
         {"chen_ma_user": 302}, 403),
    ]


@pytest.mark.parametrize("username", sorted(EVERYONE))
def test_each_form_stores_only_for_its_rightful_users(city, client_as, username):
    _wang, forms = _forms(city)
    client = client_as(getattr(city, username))
    got = {label: client.post(reverse(name), data).status_code for label, name, data, _codes, _otherwise in forms}
    assert got == {label: codes.get(username, otherwise) for label, _n, _d, codes, otherwise in forms}
    stored = sum(model.objects.count() for model in (CommitteeReport, SelfCheckIn, HomeSchoolRecord,
                                                    TeacherReferral, GuardianConcern))
    successes = list(got.values()).count(302)
    assert stored == successes
    assert Signal.objects.count() == successes


def test_pages_that_change_nothing_answer_get_only(city, records, client_as):
    client = client_as(city.zhang_a1)
    for name, kwargs in [("sentinel:attention", {}), ("sentinel:records", {}),
                         ("sentinel:record_detail", {"record_id": records["a"].pk})]:
        assert client.post(reverse(name, kwargs=kwargs)).status_code == 405, name
