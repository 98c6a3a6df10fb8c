"""Receiving a finished questionnaire: stored once, scored at the pinned version, refused whole."""
import datetime
import threading
import uuid

import pytest
from celery import current_app
from django.db import connection
from django.test import Client
from django.utils import timezone

from xinshao.audit.models import AuditEntry
from xinshao.campaigns.models import (
    Assignment,
    ConsentRecord,
    InstrumentResult,
    Submission,
)
from xinshao.campaigns.services import campaign_close, campaign_pause, consent_record
from xinshao.campaigns.submissions import CRITICAL_RESULTS_TASK, submission_receive
from xinshao.campaigns.tests.respond_support import payload, post_json
from xinshao.people.models import Student


@pytest.fixture
def chen_assignment(city, student_campaign):
    return Assignment.objects.get(campaign=student_campaign, student=city.chen)


@pytest.fixture
def queued(monkeypatch):
    """The result ids each committed submission hands to early warning's task, in order."""
    calls = []
    monkeypatch.setattr(current_app.tasks[CRITICAL_RESULTS_TASK], "delay", calls.append)
    return calls


@pytest.fixture
def submit(django_capture_on_commit_callbacks):
    """Post a submission and run what its commit triggers (a test runs inside a transaction that never commits)."""
    def post(client, body):
        with django_capture_on_commit_callbacks(execute=True):
            return post_json(client, "respond:submit", body)
    return post


def _stored_counts() -> tuple[int, int, int]:
    return (Submission.objects.count(), InstrumentResult.objects.count(),
            AuditEntry.objects.filter(action="campaign.submit").count())


def test_a_submission_sent_three_times_is_stored_once_and_answered_the_same_way(client, chen_assignment, queued,
                                                                                 submit):
    body = payload(chen_assignment, asq=[1, 0, 0, 0, 0])
    replies = [submit(client, body) for _ in range(3)]
    assert [reply.status_code for reply in replies] == [200, 200, 200]
    assert replies[0].json() == replies[1].json() == replies[2].json()
    assert replies[0].json()["state"] == "submitted"
    assert _stored_counts() == (1, 3, 1)
    assert len(queued) == 1  # early warning hears of it once, not per retry


def test_a_stored_submission_has_one_result_per_instrument_at_the_pinned_version(client, chen_assignment):
    body = payload(chen_assignment, phqa=[1, 2, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0])
    assert post_json(client, "respond:submit", body).status_code == 200
    submission = Submission.objects.get(assignment=chen_assignment)
    assert str(submission.idempotency_key) == body["key"]
    assert submission.answers == body["answers"] and submission.item_seconds == body["seconds"]
    results = {result.instrument_id: result for result in submission.results.all()}
    assert set(results) == {"phqa", "gad7", "asq"}
    phqa = results["phqa"]
    assert (phqa.instrument_version, phqa.total, phqa.band, phqa.valid) == ("1.0.0", 6, "mild", True)
    assert phqa.outcome["version"] == "1.0.0" and phqa.outcome["total"] == 6
    assert phqa.student == chen_assignment.student and phqa.campaign_id == chen_assignment.campaign_id
    assert not any(result.has_critical_flag for result in results.values())
    chen_assignment.refresh_from_db()
    assert chen_assignment.status == Assignment.Status.SUBMITTED and chen_assignment.submitted_at
    assert chen_assignment.draft == {}  # the answers live in the submission now
    entry = AuditEntry.objects.get(action="campaign.submit")
    assert entry.student_id == chen_assignment.student_id and entry.object_id == str(submission.pk)


@pytest.mark.parametrize("answers", [
    {"asq": [0, 0, 1, 0, 0]},                                          # ASQ: thoughts of suicide this week
    {"phqa": [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]},                 # PHQ-A item 9 above 0
], ids=["asq-yes", "phqa-item-9"])
def test_a_critical_answer_is_a_stored_flag_handed_to_early_warning_at_commit(client, chen_assignment, queued,
                                                                              submit, answers):
    reply = submit(client, payload(chen_assignment, **answers))
    stored = InstrumentResult.objects.filter(submission__assignment=chen_assignment)
    flagged = stored.filter(has_critical_flag=True)
    assert reply.status_code == 200
    assert list(flagged.values_list("instrument_id", flat=True)) == list(answers)
    assert queued == [list(flagged.values_list("pk", flat=True))]
    # Every result, flagged or not, waits for early warning with the marker stored beside it.
    assert stored.count() == stored.filter(signals_pending=True).count() == 3


def test_each_student_answers_the_battery_for_their_age(client, city, chen_assignment):
    Student.objects.filter(pk=city.chen.pk).update(birth_date=datetime.date(2016, 5, 2))  # 10: too young for PHQ-A
    lin = Assignment.objects.get(campaign=chen_assignment.campaign, student=city.lin)
    assert post_json(client, "respond:submit", payload(lin)).status_code == 200  # 13: the whole battery
    young = Assignment.objects.get(pk=chen_assignment.pk)
    with_phqa = payload(lin)
    with_phqa["token"] = payload(young)["token"]
    assert post_json(client, "respond:submit", with_phqa).json()["error"] == "wrong_instruments"
    body = payload(young)
    assert set(body["answers"]) == {"gad7", "asq"}
    assert post_json(client, "respond:submit", body).status_code == 200
    assert set(InstrumentResult.objects.filter(student=city.chen).values_list("instrument_id", flat=True)) == \
        {"gad7", "asq"}


def test_the_reply_never_says_whether_anything_was_flagged(client, chen_assignment):
    calm = post_json(client, "respond:submit", payload(chen_assignment)).json()
    lin = Assignment.objects.get(campaign=chen_assignment.campaign, student__name="林晓东")
    flagged = post_json(client, "respond:submit", payload(lin, asq=[1, 1, 1, 1, 1])).json()
    assert calm == flagged


def test_no_critical_flag_queues_nothing_and_leaves_the_results_to_the_sweep(client, chen_assignment, queued, submit):
    assert submit(client, payload(chen_assignment)).status_code == 200
    assert queued == []
    assert InstrumentResult.objects.filter(signals_pending=True).count() == 3


def test_a_queue_that_fails_loses_nothing(client, chen_assignment, submit, monkeypatch):
    def broken(result_ids):
        raise ConnectionError("broker down")

    monkeypatch.setattr(current_app.tasks[CRITICAL_RESULTS_TASK], "delay", broken)
    reply = submit(client, payload(chen_assignment, asq=[1, 0, 0, 0, 0]))
    assert reply.status_code == 200 and reply.json()["state"] == "submitted"
    assert InstrumentResult.objects.filter(has_critical_flag=True, signals_pending=True).count() == 1


def _close(campaign, city):
    campaign_close(campaign=campaign, actor=city.bai)


def _pause(campaign, city):
    campaign_pause(campaign=campaign, actor=city.bai)


def _expire(campaign, city):
    now = timezone.now()
    type(campaign).objects.filter(pk=campaign.pk).update(opens_at=now - datetime.timedelta(days=8),
                                                          closes_at=now - datetime.timedelta(minutes=1))


def _refuse_consent(campaign, city):
    consent_record(campaign=campaign, student=city.chen, decision=ConsentRecord.Decision.REFUSED,
                   recorded_by=city.liu_a, guardian=city.chen_ma)


@pytest.mark.parametrize("change,status,error", [
    (_close, 409, "closed"),
    (_pause, 409, "not_open"),
    (_expire, 409, "closed"),
    (_refuse_consent, 403, "not_taking_part"),
], ids=["closed", "paused", "expired", "consent-refused"])
def test_a_campaign_that_is_not_taking_answers_stores_nothing(client, city, chen_assignment, change, status, error):
    change(chen_assignment.campaign, city)
    reply = post_json(client, "respond:submit", payload(chen_assignment))
    assert (reply.status_code, reply.json()["error"]) == (status, error)
    assert reply.json()["message"]
    assert _stored_counts() == (0, 0, 0)


def _drop_instrument(body):
    del body["answers"]["gad7"], body["seconds"]["gad7"]


def _add_instrument(body):
    body["answers"]["phq9"], body["seconds"]["phq9"] = [0] * 10, [4] * 10


def _short_list(body):
    body["answers"]["gad7"] = body["answers"]["gad7"][:-1]


def _value(instrument, index, value):
    def tamper(body):
        body["answers"][instrument][index] = value
    return tamper


def _other_token(body):
    body["token"] = body["token"][:-2] + ("AA" if not body["token"].endswith("AA") else "BB")


def _bad_key(body):
    body["key"] = "not-a-uuid"


def _negative_seconds(body):
    body["seconds"]["asq"][0] = -3


@pytest.mark.parametrize("tamper,status,error", [
    (_drop_instrument, 400, "wrong_instruments"),
    (_add_instrument, 400, "wrong_instruments"),
    (_short_list, 400, "wrong_count"),
    (_value("gad7", 0, 4), 400, "bad_value"),
    (_value("asq", 1, "1"), 400, "bad_value"),
    (_value("asq", 1, True), 400, "bad_value"),
    (_value("phqa", 0, 1.5), 400, "bad_value"),
    (_other_token, 403, "unknown_assignment"),
    (_bad_key, 400, "malformed"),
    (_negative_seconds, 400, "malformed"),
], ids=["instrument-missing", "instrument-added", "answer-missing", "out-of-range", "text", "boolean", "fraction",
        "wrong-assignment", "bad-key", "negative-seconds"])
def test_a_tampered_submission_is_refused_and_stores_nothing(client, chen_assignment, tamper, status, error):
    body = payload(chen_assignment)
    tamper(body)
    reply = post_json(client, "respond:submit", body)
    assert (reply.status_code, reply.json()["error"]) == (status, error)
    assert _stored_counts() == (0, 0, 0)
    chen_assignment.refresh_from_db()
    assert chen_assignment.status == Assignment.Status.NOT_STARTED


def test_a_body_that_is_not_json_is_refused(client, chen_assignment):
    reply = client.post("/take/answer/submit/", "answers=1", content_type="application/x-www-form-urlencoded")
    assert (reply.status_code, reply.json()["error"]) == (400, "malformed")


def test_a_second_device_with_its_own_key_is_told_it_is_already_submitted(client, chen_assignment):
    assert post_json(client, "respond:submit", payload(chen_assignment)).status_code == 200
    reply = post_json(client, "respond:submit", payload(chen_assignment, asq=[1, 1, 1, 1, 1]))
    assert (reply.status_code, reply.json()["error"]) == (409, "already_submitted")
    assert _stored_counts() == (1, 3, 1)
    assert not InstrumentResult.objects.filter(has_critical_flag=True).exists()


def test_a_retry_after_the_campaign_closed_still_gets_its_answer(client, city, chen_assignment):
    body = payload(chen_assignment)
    first = post_json(client, "respond:submit", body)
    _close(chen_assignment.campaign, city)
    assert post_json(client, "respond:submit", body).json() == first.json()


def test_a_key_used_by_another_respondent_is_refused(client, city, chen_assignment):
    lin = Assignment.objects.get(campaign=chen_assignment.campaign, student=city.lin)
    key = uuid.uuid4()
    assert post_json(client, "respond:submit", payload(chen_assignment, key=key)).status_code == 200
    reply = post_json(client, "respond:submit", payload(lin, key=key))
    assert (reply.status_code, reply.json()["error"]) == (409, "key_reused")
    assert Submission.objects.filter(assignment=lin).count() == 0


def test_the_submit_endpoint_needs_neither_a_session_nor_a_csrf_token(chen_assignment):
    strict = Client(enforce_csrf_checks=True)
    assert post_json(strict, "respond:submit", payload(chen_assignment)).status_code == 200


def test_a_submission_costs_a_fixed_number_of_queries(chen_assignment, django_assert_max_num_queries):
    body = payload(chen_assignment)
    # Three reads (assignment, battery, consent); then in one transaction (here a savepoint and
    # its release) the submission, all results in one insert and the assignment (one statement on
    # PostgreSQL, three on SQLite), and the audit entry, which takes no lock: 9 at most.
    with django_assert_max_num_queries(9):
        submission_receive(assignment_id=chen_assignment.pk, payload=body)


def test_a_request_that_loses_the_race_for_its_key_gets_the_winners_answer(client, chen_assignment, queued, submit):
    body = payload(chen_assignment, asq=[1, 0, 0, 0, 0])
    first = submit(client, body)
    # The second request read the assignment before the first committed: it still looks open.
    Assignment.objects.filter(pk=chen_assignment.pk).update(status=Assignment.Status.NOT_STARTED)
    second = submit(client, body)
    assert second.status_code == 200 and second.json() == first.json()
    assert _stored_counts() == (1, 3, 1) and len(queued) == 1


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite's shared in-memory test database refuses "
                    "concurrent writers instead of queueing them; run with DATABASE_URL pointing to PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_the_same_key_sent_at_once_from_three_threads_is_stored_once(city, student_campaign):
    assignment = Assignment.objects.get(campaign=student_campaign, student=city.chen)
    body = payload(assignment)
    replies, barrier = [], threading.Barrier(3)

    def send():
        barrier.wait()
        try:
            replies.append(post_json(Client(), "respond:submit", body))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [reply.status_code for reply in replies] == [200, 200, 200]
    assert len({reply.content for reply in replies}) == 1
    assert _stored_counts() == (1, 3, 1)
