"""Every role × every staff campaign page × own vs other school: 200, 403 or 404, written out
from the need-to-know rules rather than computed from the code under test."""
import pytest
from django.urls import reverse

from xinshao.campaigns.models import Campaign

EVERYONE = {"bai", "xin", "fen", "du", "re", "song_a", "song_b", "liu_a", "wang_b", "zhang_a1", "qian_b1",
            "lin_user", "chen_user", "chen_ma_user", "yi", "gao_a"}
BUREAU = {"bai", "xin", "fen"}
SCHOOL_A_STAFF = {"song_a", "liu_a", "zhang_a1"}
SCHOOL_B_STAFF = {"song_b", "wang_b", "qian_b1"}
CAMPAIGN_STAFF = BUREAU | SCHOOL_A_STAFF | SCHOOL_B_STAFF

# (label, url name, kwargs from (city, campaigns), {user: code} for those not given `otherwise`, otherwise)
PAGES = [
    ("list", "campaigns:list", lambda c, k: {}, dict.fromkeys(CAMPAIGN_STAFF, 200), 403),
    ("create", "campaigns:create", lambda c, k: {}, dict.fromkeys({"bai", "song_a", "song_b", "liu_a", "wang_b"}, 200), 403),
    ("family", "campaigns:family", lambda c, k: {}, {"chen_ma_user": 200}, 403),
    ("city detail", "campaigns:detail", lambda c, k: {"campaign_id": k["city"].pk}, dict.fromkeys(CAMPAIGN_STAFF, 200), 404),
    ("school A detail", "campaigns:detail", lambda c, k: {"campaign_id": k["school"].pk},
     dict.fromkeys(BUREAU | SCHOOL_A_STAFF, 200), 404),
    ("city progress", "campaigns:progress", lambda c, k: {"campaign_id": k["city"].pk},
     dict.fromkeys(CAMPAIGN_STAFF, 200), 404),
    ("school A progress numbers", "campaigns:progress_numbers", lambda c, k: {"campaign_id": k["school"].pk},
     dict.fromkeys(BUREAU | SCHOOL_A_STAFF, 200), 404),
    ("teacher survey progress", "campaigns:progress", lambda c, k: {"campaign_id": k["teachers"].pk},
     dict.fromkeys(BUREAU | SCHOOL_A_STAFF, 200), 404),
    # Paper slips: the school's admin and psych teacher; the bureau and class teachers follow, not record.
    ("city consent", "campaigns:consent", lambda c, k: {"campaign_id": k["city"].pk},
     {**dict.fromkeys(BUREAU | {"zhang_a1", "qian_b1"}, 403), **dict.fromkeys({"song_a", "liu_a", "song_b", "wang_b"}, 200)},
     404),
    ("school A consent", "campaigns:consent", lambda c, k: {"campaign_id": k["school"].pk},
     {**dict.fromkeys(BUREAU | {"zhang_a1"}, 403), "song_a": 200, "liu_a": 200}, 404),
    ("teacher survey consent", "campaigns:consent", lambda c, k: {"campaign_id": k["teachers"].pk}, {}, 404),
    # Sheets carry codes: the managers who may see the names, the school's admin and psych teacher
    # for their own school (they run a city-wide screening there), and the class teacher for their class.
    ("school A sheet of A1", "campaigns:class_sheet", lambda c, k: {"campaign_id": k["school"].pk, "class_id": c.class_a1.pk},
     {**dict.fromkeys(BUREAU, 403), "song_a": 200, "liu_a": 200, "zhang_a1": 200}, 404),
    ("school A sheet of A2", "campaigns:class_sheet", lambda c, k: {"campaign_id": k["school"].pk, "class_id": c.class_a2.pk},
     {**dict.fromkeys(BUREAU, 403), "song_a": 200, "liu_a": 200}, 404),
    ("city sheet of A1", "campaigns:class_sheet", lambda c, k: {"campaign_id": k["city"].pk, "class_id": c.class_a1.pk},
     {**dict.fromkeys(BUREAU, 403), "song_a": 200, "liu_a": 200, "zhang_a1": 200}, 404),
    ("city sheet of B1", "campaigns:class_sheet", lambda c, k: {"campaign_id": k["city"].pk, "class_id": c.class_b1.pk},
     {**dict.fromkeys(BUREAU, 403), "song_b": 200, "wang_b": 200, "qian_b1": 200}, 404),
    ("school A sheets of school A", "campaigns:school_sheet",
     lambda c, k: {"campaign_id": k["school"].pk, "school_id": c.school_a.pk},
     {**dict.fromkeys(BUREAU, 403), "song_a": 200, "liu_a": 200, "zhang_a1": 200}, 404),
]


def _answers(city, campaigns, username):
    client_user = getattr(city, username)
    return client_user, {
        label: (url_name, kwargs(city, campaigns), codes.get(username, otherwise))
        for label, url_name, kwargs, codes, otherwise in PAGES
    }


@pytest.fixture
def campaigns(city_campaign, school_campaign, teacher_campaign):
    return {"city": city_campaign, "school": school_campaign, "teachers": teacher_campaign}


@pytest.mark.parametrize("username", sorted(EVERYONE))
def test_each_role_gets_exactly_the_campaign_pages_its_scope_allows(city, campaigns, client_as, username):
    user, expected = _answers(city, campaigns, username)
    client = client_as(user)
    got = {label: client.get(reverse(name, kwargs=kwargs)).status_code for label, (name, kwargs, _code) in expected.items()}
    assert got == {label: code for label, (_name, _kwargs, code) in expected.items()}


CHANGE_ANSWERS = {
    "city": {**dict.fromkeys(CAMPAIGN_STAFF, 403), "bai": 302},
    "school": {**dict.fromkeys(BUREAU | {"zhang_a1"}, 403), "song_a": 302, "liu_a": 302},
}


@pytest.mark.parametrize("username", sorted(EVERYONE))
@pytest.mark.parametrize("which", ["city", "school"])
def test_only_the_owners_staff_may_pause_a_campaign_and_strangers_do_not_learn_it_exists(
        city, campaigns, client_as, username, which):
    campaign = campaigns[which]
    response = client_as(getattr(city, username)).post(reverse("campaigns:change", kwargs={"campaign_id": campaign.pk}),
                                                       {"action": "pause"})
    expected = CHANGE_ANSWERS[which].get(username, 404)
    assert response.status_code == expected
    campaign.refresh_from_db()
    assert campaign.status == (Campaign.Status.PAUSED if expected == 302 else Campaign.Status.OPEN)


def test_anonymous_visitors_are_sent_to_sign_in(city, campaigns, client):
    for label, url_name, kwargs, *_ in PAGES:
        response = client.get(reverse(url_name, kwargs=kwargs(city, campaigns)))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], label


def test_a_campaign_page_answers_get_only_where_it_changes_nothing(city, campaigns, client_as):
    client = client_as(city.bai)
    assert client.get(reverse("campaigns:change", kwargs={"campaign_id": campaigns["city"].pk})).status_code == 405
    assert client.post(reverse("campaigns:progress", kwargs={"campaign_id": campaigns["city"].pk})).status_code == 405
