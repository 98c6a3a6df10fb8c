"""Outgoing webhooks against a real HTTP server on 127.0.0.1: signatures that verify, retries with
back-off, a dead endpoint given up, nothing outside the owner's scope, and the delivery log page."""
import datetime
import json

from django.db import connection
from django.utils import timezone

from xinshao.accounts.models import RoleAssignment
from xinshao.alerts.services import alert_acknowledge
from xinshao.cases.models import ReferralConsent
from xinshao.cases.referrals import services as referrals
from xinshao.cases.services import case_open
from xinshao.partners.tests.support import agreement_in_force
from xinshao.webhooks.models import Delivery, Endpoint, Event
from xinshao.webhooks.sending import MAX_ATTEMPTS, deliveries_attempt_due, pause_after
from xinshao.webhooks.services import endpoint_set_active
from xinshao.webhooks.signing import HEADER, signature_valid
from xinshao.webhooks.tests.support import make_endpoint, red_alert

def test_a_delivery_is_signed_so_the_receiver_can_verify_it_and_names_no_one(city, receiver):
    server = receiver(200)
    made = make_endpoint(city.bai, city.region, server.url)
    alert = red_alert(city)

    assert deliveries_attempt_due() == 1
    (got,) = server.got
    assert signature_valid(made.secret, got.headers[HEADER], got.body)
    assert not signature_valid("whsec_wrong", got.headers[HEADER], got.body)
    assert not signature_valid(made.secret, got.headers[HEADER], got.body + b" ")
    assert not signature_valid(made.secret, got.headers[HEADER], got.body, now=timezone.now().timestamp() + 3600)
    payload = json.loads(got.body)
    assert payload["event"] == got.headers["X-Xinshao-Event"] == "alert.raised"
    assert payload["data"] == {"alert_id": alert.pk, "level": "red", "state": "new", "escalation_step": 0,
                               "school_id": city.school_a.pk, "school_code": city.school_a.code}
    text = got.body.decode()
    assert city.chen.name not in text and "不想活" not in text and "student" not in text
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED


def test_the_secret_is_kept_encrypted_not_in_clear(city, receiver):
    made = make_endpoint(city.song_a, city.school_a, "http://10.2.3.4/hook")
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM webhooks_endpoint WHERE id = %s", [made.endpoint.pk])
        stored = cursor.fetchone()[0]
    assert made.secret.startswith("whsec_") and made.secret not in stored
    assert Endpoint.objects.get().secret == made.secret


def test_a_failing_endpoint_is_retried_with_back_off_and_then_delivered(city, receiver):
    server = receiver(500, 200)
    make_endpoint(city.song_a, city.school_a, server.url)
    red_alert(city)
    now = timezone.now()

    assert deliveries_attempt_due(now=now) == 1
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING and delivery.next_attempt_at == now + pause_after(1)
    assert deliveries_attempt_due(now=now + datetime.timedelta(seconds=29)) == 0  # still in its pause
    assert deliveries_attempt_due(now=now + datetime.timedelta(seconds=31)) == 1

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED and delivery.attempts == 2
    assert [(a.status_code, a.error, a.retry_in_seconds) for a in delivery.attempt_log.all()] == \
        [(500, "HTTP 500", 30), (200, "", None)]
    first, second = server.got
    assert json.loads(first.body)["id"] == json.loads(second.body)["id"]  # the same event, for de-duplication


def test_a_dead_endpoint_ends_failed_after_the_last_attempt(city, receiver):
    server = receiver(503)
    make_endpoint(city.song_a, city.school_a, server.url)
    red_alert(city)
    now = timezone.now()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert deliveries_attempt_due(now=now) == 1
        now += pause_after(attempt)
    assert deliveries_attempt_due(now=now + datetime.timedelta(days=1)) == 0

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED and delivery.last_error == "HTTP 503"
    assert [a.retry_in_seconds for a in delivery.attempt_log.all()] == [30, 60, 120, 240, 480, None]
    assert len(server.got) == MAX_ATTEMPTS


def test_an_address_that_refuses_connections_is_logged_with_its_error(city, receiver):
    server = receiver(200)
    url = server.url
    server.stop()
    make_endpoint(city.song_a, city.school_a, url)
    red_alert(city)
    deliveries_attempt_due()
    (attempt,) = Delivery.objects.get().attempt_log.all()
    assert attempt.status_code is None and "Connection" in attempt.error and attempt.retry_in_seconds == 30


def test_nothing_is_sent_for_events_outside_the_owners_scope(city, receiver):
    server = receiver(200)
    make_endpoint(city.song_b, city.school_b, server.url)                                  # another school
    make_endpoint(city.song_a, city.school_a, server.url, events=[Event.REFERRAL_SENT])    # another kind of event
    switched_off = make_endpoint(city.song_a, city.school_a, server.url).endpoint
    endpoint_set_active(endpoint=switched_off, actor=city.song_a, active=False)
    make_endpoint(city.bai, city.region, server.url)                                      # owner no longer bureau admin
    RoleAssignment.objects.filter(user=city.bai).update(is_active=False)

    alert_acknowledge(alert=red_alert(city), actor=city.liu_a)

    assert not Delivery.objects.exists() and deliveries_attempt_due() == 0 and server.got == []


def test_alert_and_referral_events_reach_the_region_and_the_school(city, receiver):
    server = receiver(200)
    region = make_endpoint(city.bai, city.region, server.url, events=Event.values).endpoint
    school = make_endpoint(city.song_a, city.school_a, server.url, events=[Event.REFERRAL_ACCEPTED]).endpoint
    alert = red_alert(city)
    alert_acknowledge(alert=alert, actor=city.liu_a)
    case = case_open(student=city.chen, level="red", reason="教师转介：自伤言语", actor=city.liu_a, alert=alert)
    agreement_in_force(agency=city.agency, schools=[city.school_a], actor=city.bai)
    referrals.consent_record(case=case, actor=city.liu_a, agency=city.agency, given_by="家长", relation="母亲",
                             method=ReferralConsent.Method.SIGNED_FORM, given_on=timezone.localdate())
    referral = referrals.referral_send(case=case, actor=city.liu_a, agency=city.agency, urgency="red",
                                       reason="需要专科评估")
    referrals.referral_accept(referral=referral, actor=city.yi)

    deliveries_attempt_due()
    assert list(region.deliveries.order_by("id").values_list("event", flat=True)) == \
        ["alert.raised", "alert.acknowledged", "referral.sent", "referral.accepted"]
    (accepted,) = school.deliveries.all()
    assert accepted.payload["data"] == {
        "referral_id": referral.pk, "case_id": case.pk, "agency_id": city.agency.pk, "urgency": "red",
        "state": "accepted", "school_id": city.school_a.pk, "school_code": city.school_a.code}
    assert len(server.got) == 5 and all(d.status == Delivery.Status.DELIVERED for d in Delivery.objects.all())
    assert all("需要专科评估" not in got.body.decode() and city.chen.name not in got.body.decode()
               for got in server.got)
