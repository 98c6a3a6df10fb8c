"""Every role × every page × own vs other school: who gets the page, who gets 404/403.

Expected answers are written out per page, from DESIGN.md's need-to-know table, not
computed from the code under test.
"""
import pytest
from django.urls import get_resolver, reverse

EVERYONE = {"bai", "xin", "fen", "du", "re", "song_a", "song_b", "liu_a", "wang_b", "zhang_a1", "qian_b1",
            "lin_user", "chen_user", "chen_ma_user", "yi", "gao_a"}
BUREAU = {"bai", "xin", "fen"}
REGION_WIDE = BUREAU | {"du", "re"}
SCHOOL_A_PEOPLE = {"song_a", "liu_a", "zhang_a1", "lin_user", "chen_user", "chen_ma_user", "gao_a"}
SCHOOL_B_PEOPLE = {"song_b", "wang_b", "qian_b1"}

# (url name, kwargs built from the city, users who get 200 (or the given success code), code for the rest)
PAGES = [
    ("core:home", lambda c: {}, EVERYONE, None),
    ("core:overview", lambda c: {}, BUREAU, 403),
    ("core:system_status", lambda c: {}, {"bai"}, 403),
    ("org:school_list", lambda c: {}, EVERYONE, None),
    ("org:school_detail", lambda c: {"school_id": c.school_a.pk}, REGION_WIDE | SCHOOL_A_PEOPLE, 404),
    ("org:school_detail", lambda c: {"school_id": c.school_b.pk}, REGION_WIDE | SCHOOL_B_PEOPLE, 404),
    ("org:class_detail", lambda c: {"class_id": c.class_a1.pk},
     BUREAU | {"song_a", "liu_a", "zhang_a1", "chen_user", "chen_ma_user"}, 404),
    ("org:class_detail", lambda c: {"class_id": c.class_b1.pk}, BUREAU | {"song_b", "wang_b", "qian_b1"}, 404),
    ("org:my_classes", lambda c: {}, EVERYONE, None),
    ("people:student_list", lambda c: {}, EVERYONE, None),
    ("people:student_detail", lambda c: {"student_id": c.chen.pk},
     {"song_a", "liu_a", "zhang_a1", "chen_user", "chen_ma_user"}, 404),
    ("people:student_detail", lambda c: {"student_id": c.zhou.pk}, {"song_b", "wang_b", "qian_b1"}, 404),
    ("people:student_edit", lambda c: {"student_id": c.chen.pk}, {"song_a"}, 404),
    ("people:student_edit", lambda c: {"student_id": c.zhou.pk}, {"song_b"}, 404),
    ("people:me", lambda c: {}, set(), 404),
]
REDIRECTS = {("org:my_classes", "zhang_a1"), ("org:my_classes", "qian_b1"), ("people:me", "lin_user"),
             ("people:me", "chen_user")}


def _case_list():
    for url_name, kwargs, allowed, denied_code in PAGES:
        for username in sorted(EVERYONE):
            if (url_name, username) in REDIRECTS:
                expected = 302
            else:
                expected = 200 if username in allowed else denied_code
            yield pytest.param(url_name, kwargs, username, expected, id=f"{url_name}-{username}-{expected}")


@pytest.mark.parametrize("url_name,kwargs,username,expected", list(_case_list()))
def test_each_role_gets_exactly_the_pages_its_scope_allows(city, client_as, url_name, kwargs, username, expected):
    response = client_as(getattr(city, username)).get(reverse(url_name, kwargs=kwargs(city)))
    assert response.status_code == expected


def test_every_page_is_in_the_matrix_or_handled_elsewhere():
    """Deny by default: a new route must be added to an access test before it can land."""
    tested_here = {name for name, *_ in PAGES}
    tested_elsewhere = {"accounts:login", "accounts:logout", "set_language"}
    names = set()
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        if namespace != "admin":
            names |= {f"{namespace}:{n}" for n in resolver.reverse_dict if isinstance(n, str)}
    names |= {n for n in get_resolver().reverse_dict if isinstance(n, str)}
    from xinshao.access.tests.coverage import ROUTES_TESTED_IN_APPS
    missing = names - tested_here - tested_elsewhere - ROUTES_TESTED_IN_APPS
    assert not missing, f"routes with no access test: {sorted(missing)}"


def test_anonymous_visitors_are_sent_to_sign_in(city, client):
    for url_name, kwargs, *_ in PAGES:
        response = client.get(reverse(url_name, kwargs=kwargs(city)))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url_name
