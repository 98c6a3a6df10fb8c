"""A critical answer always becomes an alert, exactly once: whatever fails after the commit,
whatever runs twice, and on PostgreSQL whatever order transactions commit in."""
import threading

import pytest
from celery import current_app
from django.db import connection, transaction

from xinshao.alerts import engine, screening
from xinshao.alerts.models import Alert, Signal
from xinshao.alerts.screening import critical_relay, results_signals, screening_sweep
from xinshao.campaigns.models import Assignment, InstrumentResult
from xinshao.campaigns.submissions import CRITICAL_RESULTS_TASK, submission_receive
from xinshao.campaigns.tests.respond_support import payload, post_json

ASQ_YES = {"asq": [0, 0, 1, 0, 0]}  # thoughts of suicide this week: red
PHQA_MODERATE = {"phqa": [2, 2, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 0]}  # 14, no critical item: a band only


def _assignment(campaign, student) -> Assignment:
    return Assignment.objects.get(campaign=campaign, student=student)


def _alerts_by_student() -> dict[int, list[str]]:
    alerts: dict[int, list[str]] = {}
    for student_id, level in Alert.objects.values_list("student_id", "level"):
        alerts.setdefault(student_id, []).append(level)
    return alerts


def _one_signal_per_origin() -> bool:
    origins = list(Signal.objects.values_list("origin", flat=True))
    return len(origins) == len(set(origins))


@pytest.fixture
def no_immediate_task(monkeypatch):
    """The process dies between the commit and the alert: the queued task never runs."""
    monkeypatch.setattr(current_app.tasks[CRITICAL_RESULTS_TASK], "delay", lambda result_ids: None)


@pytest.mark.django_db
def test_a_critical_answer_raises_its_red_alert_right_after_the_commit(client, city, student_campaign,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reply = post_json(client, "respond:submit", payload(_assignment(student_campaign, city.chen), **ASQ_YES))
    assert reply.status_code == 200
    assert _alerts_by_student() == {city.chen.pk: ["red"]}
    critical = InstrumentResult.objects.get(has_critical_flag=True)
    assert not critical.signals_pending, "done in the transaction that made its signal"
    assert InstrumentResult.objects.filter(signals_pending=True).count() == 2  # the rest waits for the sweep
    screening_sweep()
    assert _alerts_by_student() == {city.chen.pk: ["red"]} and _one_signal_per_origin()


@pytest.mark.django_db
def test_with_a_broker_a_submission_sends_no_message_and_the_relay_raises_the_red_alert(
        client, city, student_campaign, django_capture_on_commit_callbacks, monkeypatch):
    sent = []
    monkeypatch.setitem(current_app.conf, "task_always_eager", False)
    monkeypatch.setattr(current_app.tasks[CRITICAL_RESULTS_TASK], "delay", sent.append)
    with django_capture_on_commit_callbacks(execute=True):
        reply = post_json(client, "respond:submit", payload(_assignment(student_campaign, city.chen), **ASQ_YES))
        post_json(client, "respond:submit", payload(_assignment(student_campaign, city.lin), **PHQA_MODERATE))
    assert reply.status_code == 200 and sent == [] and not Alert.objects.exists()
    assert critical_relay() == 1
    assert _alerts_by_student() == {city.chen.pk: ["red"]}
    # Only the critical result was taken; the bands wait for the sweep, and a second relay finds nothing.
    bands = InstrumentResult.objects.filter(has_critical_flag=False)
    assert bands.count() > 1 and bands.count() == bands.filter(signals_pending=True).count()
    assert critical_relay() == 0 and Alert.objects.count() == 1


@pytest.mark.django_db
def test_an_alert_step_that_fails_keeps_the_submission_and_the_sweep_raises_one_alert(
        client, city, student_campaign, django_capture_on_commit_callbacks, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("notifications down")

    with monkeypatch.context() as patched:
        patched.setattr(screening, "signal_receive", broken)
        with django_capture_on_commit_callbacks(execute=True):
            reply = post_json(client, "respond:submit", payload(_assignment(student_campaign, city.chen), **ASQ_YES))
    assert reply.status_code == 200 and reply.json()["state"] == "submitted"
    assert not Alert.objects.exists()
    assert InstrumentResult.objects.get(has_critical_flag=True).signals_pending, "nothing of the failed step kept"
    screening_sweep()
    assert _alerts_by_student() == {city.chen.pk: ["red"]}
    assert screening_sweep() == 0 and Alert.objects.count() == 1


@pytest.mark.django_db
def test_a_process_killed_between_commit_and_alert_still_gives_one_alert_however_often_it_is_done(
        city, student_campaign, no_immediate_task):
    submission_receive(assignment_id=_assignment(student_campaign, city.chen).pk, payload=payload(
        _assignment(student_campaign, city.chen), **ASQ_YES))
    submission_receive(assignment_id=_assignment(student_campaign, city.lin).pk, payload=payload(
        _assignment(student_campaign, city.lin), **PHQA_MODERATE))
    assert not Alert.objects.exists() and InstrumentResult.objects.filter(signals_pending=True).count() == 6

    assert screening_sweep() == 2
    alerts = _alerts_by_student()
    assert alerts == {city.chen.pk: ["red"], city.lin.pk: ["yellow"]}, "the band-only result is not dropped"
    critical = list(InstrumentResult.objects.filter(has_critical_flag=True).values_list("pk", flat=True))
    assert screening_sweep() == 0
    assert results_signals(critical) == 0
    assert results_signals(critical) == screening_sweep() == 0
    assert _alerts_by_student() == alerts and _one_signal_per_origin()
    assert not InstrumentResult.objects.filter(signals_pending=True).exists()


@pytest.mark.django_db
def test_each_result_is_graded_once(city, student_campaign, no_immediate_task, monkeypatch):
    submission_receive(assignment_id=_assignment(student_campaign, city.chen).pk, payload=payload(
        _assignment(student_campaign, city.chen), **ASQ_YES))
    graded = []
    real_grade = engine.grade
    monkeypatch.setattr(engine, "grade", lambda rules, source, facts: graded.append(facts["result"]) or
                        real_grade(rules, source, facts))
    assert screening_sweep() == 1
    results = InstrumentResult.objects.filter(student=city.chen).values_list("pk", flat=True)
    assert sorted(graded) == sorted(results), "once each, the signal takes the grade it was given"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="commits out of id order need concurrent "
                    "writers; run with DATABASE_URL pointing to PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_results_committed_out_of_id_order_each_get_one_alert(city, student_campaign, no_immediate_task, monkeypatch):
    inserted, release, failed = threading.Event(), threading.Event(), []
    early, late = _assignment(student_campaign, city.chen), _assignment(student_campaign, city.lin)

    def first_transaction():
        # T1 stores its submission (its results' ids taken) and holds its transaction open while T2
        # stores and commits a whole submission.
        try:
            with transaction.atomic():
                submission_receive(assignment_id=early.pk, payload=payload(early, **ASQ_YES))
                inserted.set()
                release.wait(timeout=60)
        except Exception as error:
            failed.append(error)
            inserted.set()
        finally:
            connection.close()

    t1 = threading.Thread(target=first_transaction)
    t1.start()
    try:
        assert inserted.wait(timeout=60) and not failed
        submission_receive(assignment_id=late.pk, payload=payload(late, **PHQA_MODERATE))  # T2 commits
        assert screening_sweep() == 1, "only T2's result is visible yet"
        assert _alerts_by_student() == {city.lin.pk: ["yellow"]}
    finally:
        release.set()
        t1.join(timeout=60)
    assert not failed
    early_ids = InstrumentResult.objects.filter(student=city.chen).values_list("pk", flat=True)
    late_ids = InstrumentResult.objects.filter(student=city.lin).values_list("pk", flat=True)
    assert max(early_ids) < min(late_ids), "T1 committed last but holds the lower ids"

    assert screening_sweep() == 1, "the sweep still finds the earlier ids"
    assert _alerts_by_student() == {city.chen.pk: ["red"], city.lin.pk: ["yellow"]}
    assert screening_sweep() == 0 and _one_signal_per_origin()
