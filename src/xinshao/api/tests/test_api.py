"""Tokens (scopes, expiry, revocation, rate limit), the error shape, lists (pages, ETag, updated
since), the writes through the apps' services, and the idempotent submission."""
import datetime
import uuid

import pytest
from django.test import override_settings
from django.utils import timezone

from xinshao.access.tests.matrix_objects import matrix_objects
from xinshao.alerts.models import Alert, Source
from xinshao.alerts.services import signal_receive
from xinshao.api.models import AccessToken
from xinshao.api.services import secret_hash
from xinshao.api.tests.conftest import make_token
from xinshao.audit.models import AuditEntry
from xinshao.campaigns.models import Assignment, InstrumentResult, Submission
from xinshao.campaigns.rules import battery_for
from xinshao.campaigns.submissions import pinned_definition
from xinshao.cases.models import Referral
from xinshao.people.models import Student


def _error(response) -> dict:
    assert set(response.json()) == {"error"}
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"} and error["message"]
    return error


def test_no_token_or_an_unknown_one_is_401_in_the_error_shape(db, client):
    response = client.get("/api/v1/schools")
    assert response.status_code == 401 and _error(response)["code"] == "unauthenticated"
    response = client.get("/api/v1/schools", headers={"Authorization": "Bearer xs_not-a-token"})
    assert response.status_code == 401 and _error(response)["code"] == "invalid_token"


def test_the_secret_is_stored_only_as_its_hash(city):
    secret = make_token(city.liu_a)
    token = AccessToken.objects.get(owner=city.liu_a)
    assert token.secret_sha256 == secret_hash(secret) and secret not in {token.prefix, token.name}
    assert secret.startswith(token.prefix)


def test_an_expired_token_and_a_revoked_one_are_refused(city, api_client):
    secret = make_token(city.liu_a)
    token = AccessToken.objects.get(secret_sha256=secret_hash(secret))
    AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert api_client(secret).get("/api/v1/schools").status_code == 401
    AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + datetime.timedelta(days=1),
                                                   revoked_at=timezone.now())
    assert api_client(secret).get("/api/v1/schools").status_code == 401
    AccessToken.objects.filter(pk=token.pk).update(revoked_at=None)
    assert api_client(secret).get("/api/v1/schools").status_code == 200
    assert AccessToken.objects.get(pk=token.pk).last_used_at is not None


def _new_alert(city) -> int:
    return signal_receive(student=city.chen, source=Source.TEACHER_REFERRAL, raised_by=city.zhang_a1,
                          facts={"concerns": ["self_harm_talk"]}, note="说过不想活了").alert.pk


def test_a_read_token_reads_but_may_not_write(city, api_client):
    alert_id = _new_alert(city)
    client = api_client(city.liu_a, scope="read")
    assert client.get(f"/api/v1/alerts/{alert_id}").status_code == 200
    response = client.post(f"/api/v1/alerts/{alert_id}/acknowledge")
    assert response.status_code == 403 and _error(response)["code"] == "insufficient_scope"
    assert Alert.objects.get(pk=alert_id).state == Alert.State.NEW


def test_acknowledging_goes_through_the_alert_service_and_refuses_a_second_time(city, api_client):
    alert_id = _new_alert(city)
    client = api_client(city.liu_a)
    response = client.post(f"/api/v1/alerts/{alert_id}/acknowledge")
    assert response.status_code == 200 and response.json()["state"] == "acknowledged"
    alert = Alert.objects.get(pk=alert_id)
    assert alert.acknowledged_by == city.liu_a and alert.owner == city.liu_a
    assert AuditEntry.objects.filter(action="alerts.alert_acknowledged", object_id=str(alert_id)).exists()
    again = client.post(f"/api/v1/alerts/{alert_id}/acknowledge")
    assert again.status_code == 409 and _error(again)["code"] == "refused"


@override_settings(API_RATE_LIMIT=3)
def test_past_the_rate_limit_a_token_gets_429_with_retry_after(city, api_client):
    client = api_client(city.liu_a)
    assert [client.get("/api/v1/schools").status_code for _ in range(3)] == [200, 200, 200]
    response = client.get("/api/v1/schools")
    assert response.status_code == 429 and _error(response)["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 60
    # Another token of the same person has its own window.
    assert api_client(city.liu_a).get("/api/v1/schools").status_code == 200


def test_students_are_paged_and_filtered_by_update_time(city, api_client):
    client = api_client(city.liu_a)
    visible = list(Student.objects.filter(school=city.school_a).order_by("id").values_list("id", flat=True))
    first = client.get("/api/v1/students", {"limit": 1}).json()
    second = client.get("/api/v1/students", {"limit": 1, "offset": 1}).json()
    assert first["count"] == len(visible) and [first["items"][0]["id"], second["items"][0]["id"]] == visible[:2]
    cut = timezone.now()
    Student.objects.filter(pk=city.chen.pk).update(updated_at=cut + datetime.timedelta(seconds=1))
    changed = client.get("/api/v1/students", {"updated_since": cut.isoformat()}).json()
    assert [row["id"] for row in changed["items"]] == [city.chen.pk]
    entry = AuditEntry.objects.filter(action="api.students_listed", actor_id=city.liu_a.pk).latest("id")
    assert entry.detail == {"students": [city.chen.pk]}


def test_a_list_answers_304_to_its_own_etag_and_200_once_it_changed(city, api_client):
    client = api_client(city.liu_a)
    response = client.get("/api/v1/schools")
    etag = response["ETag"]
    assert client.get("/api/v1/schools", headers={"If-None-Match": etag}).status_code == 304
    city.school_a.__class__.objects.filter(pk=city.school_a.pk).update(name="东湖中学（新校区）")
    assert client.get("/api/v1/schools", headers={"If-None-Match": etag}).status_code == 200


def test_bad_input_names_the_field_and_changes_nothing(city, api_client):
    client = api_client(city.liu_a)
    response = client.get("/api/v1/students", {"limit": 0})
    assert response.status_code == 422 and _error(response)["fields"] == ["query.limit"]
    referral_id = matrix_objects(city)["referral_id"]["A"].value
    response = api_client(city.yi).post(f"/api/v1/referrals/{referral_id}/feedback", {"recommendations": ""},
                                        content_type="application/json")
    assert response.status_code == 422 and _error(response)["fields"] == ["body.feedback.recommendations"]
    assert Referral.objects.get(pk=referral_id).state == Referral.State.SENT


def test_a_clinician_accepts_and_answers_a_referral_of_their_agency(city, api_client):
    referral_id = matrix_objects(city)["referral_id"]["A"].value
    client = api_client(city.yi)
    assert client.post(f"/api/v1/referrals/{referral_id}/accept").json()["state"] == "accepted"
    assert client.post(f"/api/v1/referrals/{referral_id}/seen", {"seen_on": timezone.localdate().isoformat()},
                       content_type="application/json").json()["state"] == "seen"
    response = client.post(f"/api/v1/referrals/{referral_id}/feedback",
                           {"recommendations": "每周复诊一次，在校多关注睡眠。"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["recommendations"] == "每周复诊一次，在校多关注睡眠。"
    referral = Referral.objects.get(pk=referral_id)
    assert referral.state == Referral.State.FEEDBACK_RECEIVED and referral.answered_by == city.yi
    assert AuditEntry.objects.filter(action="api.referral_viewed_by_agency", actor_id=city.yi.pk).count() == 3


def _payload(assignment: Assignment) -> dict:
    answers, seconds = {}, {}
    for entry in battery_for(assignment):
        count = len(pinned_definition(entry.instrument_id, entry.instrument_version).items)
        answers[entry.instrument_id], seconds[entry.instrument_id] = [0] * count, [3] * count
    return {"answers": answers, "seconds": seconds}


def test_the_same_idempotency_key_twice_stores_one_submission(city, api_client):
    assignment = Assignment.objects.get(pk=matrix_objects(city)["assignment_id"]["A"].value)
    client, key = api_client(city.chen_user), str(uuid.uuid4())
    url = f"/api/v1/assignments/{assignment.pk}/submission"
    first = client.post(url, _payload(assignment), content_type="application/json", headers={"Idempotency-Key": key})
    again = client.post(url, _payload(assignment), content_type="application/json", headers={"Idempotency-Key": key})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["submission_id"] == again.json()["submission_id"]
    assert (first.json()["stored_now"], again.json()["stored_now"]) == (True, False)
    assert Submission.objects.filter(assignment=assignment).count() == 1
    other_key = client.post(url, _payload(assignment), content_type="application/json",
                            headers={"Idempotency-Key": str(uuid.uuid4())})
    assert other_key.status_code == 409 and _error(other_key)["code"] == "already_submitted"

    # The school's psych teacher reads the scored results; the class teacher gets none.
    results = api_client(city.liu_a).get("/api/v1/results", {"student_id": city.chen.pk}).json()
    stored = InstrumentResult.objects.filter(submission__assignment=assignment)
    assert sorted(row["instrument_id"] for row in results["items"]) == sorted(r.instrument_id for r in stored)
    assert api_client(city.zhang_a1).get("/api/v1/results").json()["count"] == 0


def test_a_refused_submission_answers_in_the_error_shape(city, api_client):
    assignment_id = matrix_objects(city)["assignment_id"]["A"].value
    response = api_client(city.chen_user).post(f"/api/v1/assignments/{assignment_id}/submission",
                                               {"answers": {}, "seconds": {}}, content_type="application/json",
                                               headers={"Idempotency-Key": str(uuid.uuid4())})
    assert response.status_code == 400 and _error(response)["code"] == "wrong_instruments"
    missing_key = api_client(city.chen_user).post(f"/api/v1/assignments/{assignment_id}/submission",
                                                  {"answers": {}, "seconds": {}}, content_type="application/json")
    assert missing_key.status_code == 422 and "header.Idempotency-Key" in _error(missing_key)["fields"][0]


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_the_openapi_document_and_docs_are_public_and_pass_the_csp(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_every_field_of_the_openapi_document_is_described(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    undescribed = [f"{name}.{field}" for name, schema in schemas.items()
                   for field, spec in schema.get("properties", {}).items() if not spec.get("description")]
    assert not undescribed


def test_numbers_past_what_the_database_takes_are_refused(city, api_client):
    client = api_client(city.liu_a)
    for url, query, field in [("/api/v1/schools", {"offset": 10**20}, "query.offset"),
                              ("/api/v1/students", {"school_id": 2**63}, "query.school_id"),
                              (f"/api/v1/schools/{2**63}", {}, "path.school_id")]:
        response = client.get(url, query)
        assert response.status_code == 422 and _error(response)["fields"] == [field], url
    assert client.get(f"/api/v1/schools/{2**63 - 1}").status_code == 404


def test_updated_since_takes_any_offset_and_refuses_a_bare_number(city, api_client):
    client = api_client(city.liu_a)
    # An offset PostgreSQL would refuse as written (schemathesis found it): read as the same moment in UTC.
    assert client.get("/api/v1/alerts", {"updated_since": "2026-01-01T00:00:00-18:52"}).status_code == 200
    for value in ("0.5", "0001-01-01T00:00:00+23:59", "yesterday"):
        response = client.get("/api/v1/alerts", {"updated_since": value})
        assert response.status_code == 422 and _error(response)["fields"] == ["query.updated_since"], value
