"""Who may use each respondent page, and who may read an individual's answers: every person of
the test city, by name. A student's answers: their school's psych teacher only. A teacher's
well-being result: that teacher only (until they ask for help), by any URL of the platform."""
import itertools

import pytest
from django.urls import get_resolver, reverse
from django.urls.converters import IntConverter

from xinshao.access import scopes
from xinshao.campaigns.models import Assignment, InstrumentResult
from xinshao.campaigns.tests.respond_support import payload, post_json, teacher_campaign
from xinshao.testing import City

EVERYONE = {"bai", "xin", "fen", "du", "re", "song_a", "song_b", "liu_a", "wang_b", "zhang_a1", "qian_b1",
            "lin_user", "chen_user", "chen_ma_user", "yi", "gao_a"}
CBI_MARKED = [2, 2, 2, 2, 2, 1] + [0] * 13  # personal burnout 45.8: a figure no other page has a reason to show


@pytest.fixture
def gao_submitted(city, client_as):
    """Gao has answered the teachers' survey; the figures of her result are known to the test."""
    assignment = Assignment.objects.get(campaign=teacher_campaign(city), teacher=city.gao_a)
    post_json(client_as(city.gao_a), "respond:submit", payload(assignment, cbi=CBI_MARKED))
    return assignment


@pytest.fixture
def chen_assignment(city, student_campaign):
    return Assignment.objects.get(campaign=student_campaign, student=city.chen)


def _as(client, city: City, username: str):
    client.logout()
    if username != "anonymous":
        client.force_login(getattr(city, username), backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.parametrize("username", sorted(EVERYONE | {"anonymous"}))
def test_each_person_reaches_only_their_own_tasks_and_results(client, city, chen_assignment, gao_submitted,
                                                              username):
    client = _as(client, city, username)
    signed_in = username != "anonymous"
    chen_begin = reverse("respond:begin", kwargs={"assignment_id": chen_assignment.pk})
    gao_result = reverse("respond:my_result", kwargs={"assignment_id": gao_submitted.pk})
    gao_help = reverse("respond:help_request", kwargs={"assignment_id": gao_submitted.pk})
    expected = {
        # Nothing is bound to this browser yet: both send the visitor to code entry.
        ("GET", reverse("respond:questionnaire")): 302,
        ("GET", reverse("respond:done")): 302,
        ("GET", reverse("respond:start")): 200,
        ("GET", reverse("respond:offline_worker")): 200,   # the questionnaire's service worker: no data in it
        ("POST", reverse("respond:leave")): 302,            # pausing forgets this browser's questionnaire
        ("GET", reverse("respond:my_tasks")): 200 if signed_in else 302,
        ("GET", chen_begin): 302 if username == "chen_user" else (404 if signed_in else 302),
        ("GET", gao_result): 200 if username == "gao_a" else (404 if signed_in else 302),
        ("POST", gao_help): 302 if username == "gao_a" else (404 if signed_in else 302),
    }
    for (method, url), status in expected.items():
        response = client.get(url) if method == "GET" else client.post(url, {"message": "", "contact": ""})
        assert response.status_code == status, (method, url)
        own_pages = (reverse("respond:questionnaire"), reverse("respond:done"), reverse("respond:leave"))
        if status == 302 and not signed_in and url not in own_pages:
            assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("username", sorted(EVERYONE))
def test_only_the_students_school_psych_teacher_may_read_student_results(city, username):
    readable = scopes.students_with_results_visible_to(getattr(city, username))
    expected = {"liu_a": {city.chen, city.lin}, "wang_b": {city.zhou}}.get(username, set())
    assert set(readable) == expected


def test_the_json_endpoints_answer_nothing_without_a_valid_token(client):
    for name in ("respond:draft", "respond:submit"):
        assert client.get(reverse(name)).status_code == 405
        reply = post_json(client, name, {"token": "12:forged", "key": "x"})
        assert (reply.status_code, reply.json()["error"]) == (403, "unknown_assignment")


def _routes():
    """(name, int parameters, other parameters) of every route outside Django's admin and the API
    (which answers nothing without a token; api/tests/test_api_matrix.py tries every operation with
    every person's token)."""
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        if namespace in ("admin", "api_v1"):
            continue
        for name in resolver.reverse_dict:
            if isinstance(name, str):
                possibility, _pattern, _defaults, converters = resolver.reverse_dict.getlist(name)[0]
                params = possibility[0][1]
                ints = [p for p in params if isinstance(converters.get(p), IntConverter)]
                yield f"{namespace}:{name}", ints, [p for p in params if p not in ints]


OTHER_PARAMS = {"code": "A001", "instrument_id": "cbi", "version": "1.0.0", "data_kind": "answers"}


def test_no_one_but_the_teacher_reaches_her_result_by_any_url(client, city, gao_submitted):
    """Every page of the platform, with every id that belongs to Gao's survey, as everyone else."""
    result_ids = list(InstrumentResult.objects.filter(teacher=city.gao_a).values_list("pk", flat=True))
    ids = {gao_submitted.pk, gao_submitted.campaign_id, gao_submitted.submission.pk, *result_ids,
           city.school_a.pk, city.class_a1.pk}
    marker = str(InstrumentResult.objects.get(teacher=city.gao_a, instrument_id="cbi")
                 .outcome["transformed"]["personal_burnout"])
    assert marker == "45.8"
    own_page = reverse("respond:my_result", kwargs={"assignment_id": gao_submitted.pk})
    # She reads her result as words (its band), not as the figure: the figure is staff's reading aid.
    own = _as(client, city, "gao_a").get(own_page).content.decode()
    assert "个人倦怠" in own and marker not in own
    urls = set()
    for name, ints, others in _routes():
        for values in itertools.product(sorted(ids), repeat=len(ints)):
            kwargs = {**dict(zip(ints, values)), **{p: OTHER_PARAMS[p] for p in others}}
            urls.add(reverse(name, kwargs=kwargs))
    for username in sorted(EVERYONE - {"gao_a"} | {"anonymous"}):
        client = _as(client, city, username)
        for url in sorted(urls):
            response = client.get(url)
            body = b"".join(response) if response.streaming else response.content
            assert marker.encode() not in body, (username, url)
