"""The agency portal's walls: every role on every portal route, own and other agency; and a
clinician on every case page of the school side."""
import pytest
from django.urls import get_resolver, reverse

from xinshao.audit.models import AuditEntry
from xinshao.cases.models import Referral
from xinshao.cases.tests.referral_support import (
    open_case,
    second_agency,
    sent,
)

pytestmark = pytest.mark.django_db
R = Referral.State
ANSWERS = ["agency:accept", "agency:decline", "agency:seen", "agency:feedback"]


@pytest.fixture
def world(city):
    """Chen's case referred both to the mental health centre (Yi) and to the hospital (Ma);
    Zhou's case (school B) referred to the hospital only."""
    hospital, ma = second_agency(city)
    chen_case = open_case(city)
    zhou_case = open_case(city, student=city.zhou, actor=city.wang_b, level="orange")
    return {
        "ma": ma,
        "to_yi": sent(city, chen_case),
        "to_ma": sent(city, chen_case, agency=hospital),
        "zhou_to_ma": sent(city, zhou_case, agency=hospital),
    }


def test_the_referral_list_is_only_for_clinicians(city, client_as, world):
    for username, user in city.everyone().items():
        expected = 200 if username == "yi" else 403
        assert client_as(user).get(reverse("agency:list")).status_code == expected, username
    assert client_as(world["ma"]).get(reverse("agency:list")).status_code == 200


def test_each_list_holds_only_its_own_agencys_referrals(city, client_as, world):
    def listed(user):
        return {row.pk for row in client_as(user).get(reverse("agency:list")).context["rows"]}

    assert listed(city.yi) == {world["to_yi"].pk}
    assert listed(world["ma"]) == {world["to_ma"].pk, world["zhou_to_ma"].pk}


@pytest.mark.parametrize("which,clinician", [("to_yi", "yi"), ("to_ma", "ma"), ("zhou_to_ma", "ma")])
def test_a_referral_page_opens_only_for_the_agency_it_was_sent_to(city, client_as, world, which, clinician):
    url = reverse("agency:detail", args=[world[which].pk])
    people = {**city.everyone(), "ma": world["ma"]}
    for username, user in people.items():
        if username == clinician:
            expected = 200
        elif username in {"yi", "ma"}:
            expected = 404  # the other agency: its existence is not revealed
        else:
            expected = 403
        assert client_as(user).get(url).status_code == expected, username


@pytest.mark.parametrize("url_name", ANSWERS)
def test_no_one_but_the_receiving_agency_answers_a_referral(city, client_as, world, url_name):
    referral = world["to_yi"]
    url = reverse(url_name, args=[referral.pk])
    people = {**city.everyone(), "ma": world["ma"]}
    for username, user in people.items():
        if username == "yi":
            continue
        expected = 404 if username == "ma" else 403
        assert client_as(user).post(url, {"reason": "不是本机构的转介", "seen_on": "2026-11-01",
                                          "recommendations": "随便写写的建议"}).status_code == expected, username
        assert client_as(user).get(url).status_code == 405, username
    referral.refresh_from_db()
    assert referral.state == R.SENT and referral.answered_at is None


def test_the_receiving_agency_answers_through_the_page(city, client_as, world):
    response = client_as(city.yi).post(reverse("agency:accept", args=[world["to_yi"].pk]))
    assert response.status_code == 302 and response["Location"] == reverse("agency:detail", args=[world["to_yi"].pk])
    world["to_yi"].refresh_from_db()
    assert world["to_yi"].state == R.ACCEPTED


def test_an_other_agencys_referral_is_never_opened_nor_audited(city, client_as, world):
    client_as(city.yi).get(reverse("agency:detail", args=[world["zhou_to_ma"].pk]))
    assert not AuditEntry.objects.filter(action="cases.referral_viewed_by_agency").exists()


def _cases_routes():
    """Every route of the school's case pages, whoever wrote it, with the ids it takes."""
    resolver = get_resolver().namespace_dict["cases"][1]
    for name in sorted(n for n in resolver.reverse_dict if isinstance(n, str)):
        params = resolver.reverse_dict.getlist(name)[0][0][0][1]
        yield f"cases:{name}", params


def test_a_clinician_has_no_case_page_at_all(city, client_as, world):
    """Yi sees the referral, never the case: every case page answers 403, 404 or 405 (a POST-only page)."""
    referral = world["to_yi"]
    ids = {"case_id": referral.case_id, "referral_id": referral.pk}
    client = client_as(city.yi)
    routes = list(_cases_routes())
    assert {"cases:list", "cases:detail", "cases:referral_new"} <= {name for name, _params in routes}
    for name, params in routes:
        url = reverse(name, kwargs={p: ids.get(p, 1) for p in params})
        for method in (client.get, client.post):
            assert method(url).status_code in {403, 404, 405}, (name, method)
    assert not AuditEntry.objects.filter(actor_label="yi").exists()
