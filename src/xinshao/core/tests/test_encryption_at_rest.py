"""Encryption at rest: nothing readable in the database, and key rotation keeps every record readable."""
import datetime
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from xinshao.alerts.models import AlertEvent, Source
from xinshao.alerts.services import alert_close, alert_close_confirm, alert_close_decline, signal_receive
from xinshao.campaigns.models import CampaignEvent
from xinshao.campaigns.services import TargetChoice, campaign_close, campaign_pause
from xinshao.campaigns.tests.staff_support import make_campaign
from xinshao.core.crypto import blind_index, detail_text_to_field, encrypted_fields
from xinshao.people.models import Student
from xinshao.records.services import plan_save

TASKS = [{"who": "班主任", "task": "每周谈一次"}]
MARKER = "PLAINTEXT-7731"  # ASCII: JSON may store the Chinese around it as \u escapes
PLAIN = f"明文标记-{MARKER}"
KEY_A, KEY_B, KEY_C = (Fernet.generate_key().decode() for _ in range(3))

# Free text about a child (or a secret) that must never be stored in the clear.
MUST_BE_ENCRYPTED = {
    "people.Student": ["national_id"],
    "records.PlanVersion": ["goals", "supports", "reason"],
    "alerts.Alert": ["close_reason"],
    "alerts.Signal": ["note"],
    "alerts.AlertEvent": ["reason"],
    "sentinel.CommitteeReport": ["note"],
    "sentinel.SelfCheckIn": ["note"],
    "sentinel.HomeSchoolRecord": ["summary", "participants"],
    "sentinel.TeacherReferral": ["note"],
    "sentinel.GuardianConcern": ["note"],
    "hotline.Call": ["caller_description", "notes", "callback_outcome"],
    "hotline.Visit": ["family_members", "unidentified_children", "presenting_concern", "notes"],
    "counseling.Booking": ["reason", "cancel_reason", "notes"],
    "cases.Case": ["closure_review", "opening_reason"],
    "cases.CaseEvent": ["reason"],
    "cases.AgreedAction": ["description"],
    "cases.CounsellingSession": ["private_notes"],
    "cases.GuardianContact": ["what_was_said"],
    "cases.Referral": ["reason", "diagnosis_summary", "recommendations", "without_agreement_reason", "decline_reason",
                       "return_to_school"],
    "cases.ConsentOverride": ["reason", "review_note"],
    "cases.FollowUp": ["outcome", "waived_reason"],
    "campaigns.HelpRequest": ["message", "contact"],
    "campaigns.ConsentRecord": ["note"],
    "campaigns.CampaignEvent": ["reason"],
    "accounts.TotpDevice": ["secret"],
}


def _raw(model, field_name, pk):
    table, column = model._meta.db_table, model._meta.get_field(field_name).column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name(column)} FROM {connection.ops.quote_name(table)} "
                       "WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _tables_holding(text: str) -> list[str]:
    """Every table of the database with a value that contains `text`, read directly (nothing decrypted)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            if any(text in str(value) for row in cursor.fetchall() for value in row):
                found.append(table)
    return found


def test_every_field_on_the_list_is_an_encrypted_field():
    found = {model._meta.label: {field.name for field in fields} for model, fields in encrypted_fields().items()}
    missing = [f"{label}.{name}" for label, names in MUST_BE_ENCRYPTED.items()
               for name in names if name not in found.get(label, set())]
    assert missing == []


def test_a_plan_written_through_the_service_is_unreadable_in_the_database(city):
    version = plan_save(student=city.chen, actor=city.liu_a, goals=f"目标 {PLAIN}", supports=f"支持 {PLAIN}",
                        tasks=TASKS, review_on=datetime.date(2027, 1, 1))
    version = plan_save(student=city.chen, actor=city.liu_a, goals=version.goals, supports=version.supports,
                        tasks=TASKS, review_on=datetime.date(2027, 2, 1), reason=f"修改 {PLAIN}")
    for name in ("goals", "supports", "reason"):
        assert PLAIN not in _raw(type(version), name, version.pk)
    version.refresh_from_db()
    assert version.reason == f"修改 {PLAIN}"


def test_no_encrypted_field_of_any_model_holds_plaintext_in_the_database(city):
    """Every EncryptedTextField in the registry (a new one is covered without editing this test)."""
    plan_save(student=city.chen, actor=city.liu_a, goals="g", supports="s", tasks=TASKS, review_on=datetime.date(2027, 1, 1))
    checked = []
    for model, fields in encrypted_fields().items():
        row = model._base_manager.order_by("pk").first()
        if row is None:
            continue
        model._base_manager.filter(pk=row.pk).update(**{field.name: f"{PLAIN} {field.name}" for field in fields})
        for field in fields:
            stored = _raw(model, field.name, row.pk)
            assert PLAIN not in stored and stored.startswith("gAAAA"), f"{model._meta.label}.{field.name}"
            assert getattr(model._base_manager.get(pk=row.pk), field.name) == f"{PLAIN} {field.name}"
            checked.append(f"{model._meta.label}.{field.name}")
    assert {"people.Student.national_id", "records.PlanVersion.goals"} <= set(checked)


def _rotate(*args):
    out, err = StringIO(), StringIO()
    call_command("rotate_encryption_key", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_rotating_to_a_new_key_keeps_every_record_readable_after_the_old_key_is_dropped(city):
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        for student in (city.chen, city.lin):
            student.national_id = f"11010520130502{student.pk:03d}X"
            student.save()
        version = plan_save(student=city.chen, actor=city.liu_a, goals="每周谈话", supports="同伴支持",
                            tasks=TASKS, review_on=datetime.date(2027, 1, 1))
        before = {name: _raw(type(version), name, version.pk) for name in ("goals", "supports")}
        before["national_id"] = _raw(Student, "national_id", city.chen.pk)
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        out, _ = _rotate("--dry-run")
        assert "records.PlanVersion: 2 re-encrypted" in out and "Dry run" in out
        assert _raw(Student, "national_id", city.chen.pk) == before["national_id"]
        out, _ = _rotate()
        assert "people.Student: 2 re-encrypted, 0 already current, 0 unreadable" in out
        assert "records.PlanVersion: 2 re-encrypted" in out and "can now be removed" in out
        again, _ = _rotate()
        assert "people.Student: 0 re-encrypted, 2 already current" in again
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]):
        assert _raw(Student, "national_id", city.chen.pk) != before["national_id"]
        assert _raw(type(version), "goals", version.pk) != before["goals"]
        version.refresh_from_db()
        assert (version.goals, version.supports) == ("每周谈话", "同伴支持")
        assert Student.objects.get(pk=city.chen.pk).national_id == f"11010520130502{city.chen.pk:03d}X"


def test_a_value_no_key_opens_is_reported_with_model_and_id_not_a_traceback(city):
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_C]):
        city.lin.national_id = "110105201308190036"
        city.lin.save()
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        err = StringIO()
        with pytest.raises(CommandError, match="1 values could not be decrypted"):
            call_command("rotate_encryption_key", stdout=StringIO(), stderr=err)
        assert f"cannot decrypt people.Student id={city.lin.pk} field national_id" in err.getvalue()


@pytest.mark.parametrize("keys, message", [([""], "FIELD_ENCRYPTION_KEY is empty"),
                                            ([KEY_A, "not-a-key"], "key 2 of 2 is not a Fernet key"),
                                            ([KEY_A, KEY_A], "the same key twice")])
def test_misconfigured_keys_are_a_clear_error(db, keys, message):
    with override_settings(FIELD_ENCRYPTION_KEYS=keys), pytest.raises(CommandError, match=message):
        _rotate()




def test_staff_find_a_student_by_identity_number_through_the_blind_index(city):
    from xinshao.people.selectors import student_search

    city.chen.national_id = "11010520130502002X"
    city.chen.save()
    assert _raw(Student, "national_id_index", city.chen.pk) == blind_index("11010520130502002X")
    assert list(student_search(city.liu_a, query="110105 2013 0502 002x")) == [city.chen]
    assert list(student_search(city.liu_a, query="110105201305020021")) == []
    assert list(student_search(city.wang_b, query="11010520130502002X")) == []  # out of scope stays hidden
    city.chen.national_id = ""
    city.chen.save(update_fields=["national_id"])
    assert _raw(Student, "national_id_index", city.chen.pk) == ""


def test_the_blind_index_key_is_not_the_encryption_key(db):
    with override_settings(BLIND_INDEX_KEY="one"):
        first = blind_index("11010520130502002X")
    with override_settings(BLIND_INDEX_KEY="two"):
        assert blind_index("11010520130502002X") != first


def test_the_data_migration_encrypts_plaintext_rows_and_reverses(city):
    from django.apps import apps

    from xinshao.core.crypto import encrypt_existing

    version = plan_save(student=city.chen, actor=city.liu_a, goals="g", supports="s", tasks=TASKS,
                        review_on=datetime.date(2027, 1, 1))
    with connection.cursor() as cursor:  # as a row written before the field was encrypted
        cursor.execute("UPDATE records_planversion SET goals = %s WHERE id = %s", [PLAIN, version.pk])
    operation = encrypt_existing("records.PlanVersion", "goals", "supports")
    operation.code(apps, None)
    operation.code(apps, None)  # again: already encrypted values are left alone
    assert _raw(type(version), "goals", version.pk).startswith("gAAAA")
    version.refresh_from_db()
    assert (version.goals, version.supports) == (PLAIN, "s")
    operation.reverse_code(apps, None)
    assert (_raw(type(version), "goals", version.pk), _raw(type(version), "supports", version.pk)) == (PLAIN, "s")


def _reasons_given(city):
    """A red alert's closure asked for, declined, asked again and confirmed, and a campaign paused
    and closed, each with a reason written through the services; the alert and the campaign."""
    alert = signal_receive(student=city.chen, source=Source.HOTLINE_CALL, raised_by=city.re,
                           facts={"risk": "imminent"}).alert
    alert = alert_close(alert=alert, actor=city.liu_a, reason=f"学生说只是开玩笑 {PLAIN}")
    alert = alert_close_decline(alert=alert, actor=city.song_a, reason=f"需要先完成安全评估 {PLAIN}")
    alert = alert_close(alert=alert, actor=city.liu_a, reason=f"安全评估已完成 {PLAIN}")
    alert = alert_close_confirm(alert=alert, actor=city.song_a)
    campaign = make_campaign(city, created_by=city.liu_a, school=city.school_a,
                             targets=[TargetChoice(school=city.school_a, level="J1")])
    campaign = campaign_pause(campaign=campaign, actor=city.liu_a, reason=f"机房断网 {PLAIN}")
    campaign = campaign_close(campaign=campaign, actor=city.liu_a, reason=f"提前结束 {PLAIN}")
    return alert, campaign


def test_reasons_for_an_alert_or_a_campaign_are_in_no_table_in_the_clear_and_pages_show_them(city, client_as):
    alert, campaign = _reasons_given(city)
    assert _tables_holding(MARKER) == []

    page = client_as(city.liu_a).get(reverse("alerts:detail", args=[alert.pk])).content.decode()
    assert f"需要先完成安全评估 {PLAIN}" in page and f"安全评估已完成 {PLAIN}" in page
    page = client_as(city.liu_a).get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert f"机房断网 {PLAIN}" in page and f"提前结束 {PLAIN}" in page
    closed = alert.events.get(kind=AlertEvent.Kind.CLOSED)
    assert closed.reason == f"安全评估已完成 {PLAIN}" and "reason" not in closed.detail

    # The same direct read finds text kept in an event's detail, as these reasons were before.
    closed.detail = {"reason": PLAIN}
    closed.save()
    assert _tables_holding(MARKER) == ["alerts_alertevent"]


def test_rotation_keeps_the_reasons_of_alert_and_campaign_events_readable(city, client_as):
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        alert, campaign = _reasons_given(city)
        closed = alert.events.get(kind=AlertEvent.Kind.CLOSED)
        before = _raw(AlertEvent, "reason", closed.pk)
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        out, _ = _rotate()
        assert "alerts.AlertEvent: 4 re-encrypted, 0 already current, 0 unreadable" in out
        assert "campaigns.CampaignEvent: 2 re-encrypted, 0 already current, 0 unreadable" in out
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_B]):
        assert _raw(AlertEvent, "reason", closed.pk) != before
        assert AlertEvent.objects.get(pk=closed.pk).reason == f"安全评估已完成 {PLAIN}"
        page = client_as(city.liu_a).get(reverse("alerts:detail", args=[alert.pk])).content.decode()
        assert f"安全评估已完成 {PLAIN}" in page
        assert [e.reason for e in CampaignEvent.objects.filter(campaign=campaign, kind__in=["paused", "closed"])] \
            == [f"机房断网 {PLAIN}", f"提前结束 {PLAIN}"]


def test_the_data_migration_moves_a_reason_out_of_an_event_detail_and_reverses(city):
    from django.apps import apps

    alert, _ = _reasons_given(city)
    declined = alert.events.get(kind=AlertEvent.Kind.CLOSE_DECLINED)
    # As the row was written before the reason had its own encrypted field.
    AlertEvent.objects.filter(pk=declined.pk).update(reason="", detail={"reason": PLAIN, "requested_by": city.liu_a.pk})
    operation = detail_text_to_field("alerts.AlertEvent", "reason", "reason")
    operation.code(apps, None)
    operation.code(apps, None)  # again: nothing left to move
    assert MARKER not in str(_raw(AlertEvent, "detail", declined.pk))
    assert _raw(AlertEvent, "reason", declined.pk).startswith("gAAAA")
    declined.refresh_from_db()
    assert (declined.reason, declined.detail) == (PLAIN, {"requested_by": city.liu_a.pk})
    operation.reverse_code(apps, None)
    declined.refresh_from_db()
    assert (_raw(AlertEvent, "reason", declined.pk), declined.detail) == ("", {"reason": PLAIN,
                                                                            "requested_by": city.liu_a.pk})
