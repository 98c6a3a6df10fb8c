import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from xinshao.audit.models import AppendOnlyError, AuditEntry
from xinshao.audit.selectors import audit_chain_verify
from xinshao.audit.services import AuditEvent, audit_record, audit_record_many, audit_seal


@pytest.fixture
def three_entries(city):
    audit_record(actor=city.liu_a, action="student.view", student=city.chen, obj=city.chen)
    audit_record(actor=city.liu_a, action="student.view", student=city.lin, obj=city.lin)
    audit_record(actor=city.song_a, action="student.update", student=city.chen, obj=city.chen,
                 detail={"fields": ["name"]})
    audit_seal()
    return list(AuditEntry.objects.order_by("id"))


def test_each_entry_holds_the_hash_of_the_one_before(three_entries):
    first, second, third = three_entries
    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert second.prev_hash == first.entry_hash and third.prev_hash == second.entry_hash
    assert audit_chain_verify().ok and audit_chain_verify().checked == 3


def test_writers_leave_entries_for_the_sequencer_which_chains_them_in_commit_order(city):
    """An entry of a transaction that commits after a later one was sealed takes the next place."""
    later = audit_record(actor=city.liu_a, action="student.view", student=city.chen)
    assert later.seq is None and later.entry_hash is None and audit_chain_verify().pending == 1
    assert audit_seal() == 1
    earlier_id = -later.pk  # a lower id, as if a slower transaction had taken it first
    late = AuditEntry(pk=earlier_id, at=later.at, actor_label="system", action="system.check")
    late.content_hash = late.compute_content_hash()
    AuditEntry.objects.bulk_create([late])
    assert audit_seal() == 1 and audit_seal() == 0
    assert AuditEntry.objects.get(pk=earlier_id).seq == AuditEntry.objects.get(pk=later.pk).seq + 1
    assert audit_chain_verify().ok and audit_chain_verify().pending == 0


def test_an_entry_edited_before_it_is_sealed_is_not_sealed_and_is_named(city):
    entry = audit_record(actor=city.liu_a, action="student.view", student=city.chen)
    audit_record(actor=city.liu_a, action="student.view", student=city.lin)
    _raw("UPDATE audit_auditentry SET student_id = %s WHERE id = %s", [city.lin.pk, entry.pk])
    assert audit_seal() == 0
    report = audit_chain_verify()
    assert not report.ok and report.broken_entry_id == entry.pk and "edited" in report.problem


def test_the_model_refuses_changes_and_deletions(three_entries):
    entry = three_entries[0]
    entry.action = "nothing.happened"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_editing_a_row_by_hand_makes_verify_fail_and_name_the_row(three_entries, capsys):
    second = three_entries[1]
    _raw("UPDATE audit_auditentry SET actor_label = %s WHERE id = %s", ["someone_else", second.pk])
    with pytest.raises(CommandError, match=f"entry #{second.pk}.*edited"):
        call_command("audit_verify")


def test_deleting_a_row_in_the_middle_breaks_the_link_of_the_next(three_entries):
    _raw("DELETE FROM audit_auditentry WHERE id = %s", [three_entries[1].pk])
    report = audit_chain_verify()
    assert not report.ok and report.broken_entry_id == three_entries[2].pk


def test_deleting_the_newest_row_is_noticed_at_the_chain_head(three_entries):
    _raw("DELETE FROM audit_auditentry WHERE id = %s", [three_entries[2].pk])
    report = audit_chain_verify()
    assert not report.ok and report.broken_entry_id is None and "head" in report.problem


def test_verify_reports_an_intact_chain(three_entries, capsys):
    call_command("audit_verify")
    assert "3 entries verified" in capsys.readouterr().out


def test_many_entries_written_at_once_chain_in_order(city):
    events = [AuditEvent(action="roster.import", student_id=s.pk) for s in (city.chen, city.lin, city.zhou)]
    audit_record_many(actor=city.song_a, events=events)
    audit_record(actor=None, action="system.check")
    assert audit_seal() == 4
    assert list(AuditEntry.objects.order_by("id").values_list("seq", flat=True)) == [1, 2, 3, 4]
    assert audit_chain_verify().checked == 4 and audit_chain_verify().ok
    assert AuditEntry.objects.last().actor_label == "system"


def _forged_after(entry: AuditEntry, *, seq: int) -> AuditEntry:
    """A made-up entry linked, with correct hashes, to `entry`: what someone with write access to the
    table, and the code, could insert."""
    forged = AuditEntry(at=entry.at, actor_label="system", action="student.view", seq=seq, prev_hash=entry.entry_hash)
    forged.content_hash = forged.compute_content_hash()
    forged.entry_hash = forged.compute_hash()
    AuditEntry.objects.bulk_create([forged])
    return forged


def test_inserting_an_entry_after_the_newest_is_noticed_at_the_chain_head(three_entries):
    _forged_after(three_entries[2], seq=4)
    report = audit_chain_verify()
    assert not report.ok and "head" in report.problem


def test_inserting_an_entry_in_the_middle_breaks_the_link_of_the_next(three_entries):
    first, second, third = three_entries
    _raw("UPDATE audit_auditentry SET seq = seq + 10 WHERE id IN (%s, %s)", [second.pk, third.pk])
    forged = _forged_after(first, seq=2)
    report = audit_chain_verify()
    assert not report.ok and report.broken_entry_id == second.pk
    assert forged.pk != report.broken_entry_id


def test_editing_a_pending_entry_by_hand_makes_verify_fail_and_name_it(city):
    entry = audit_record(actor=city.liu_a, action="student.view", student=city.chen)
    _raw("UPDATE audit_auditentry SET action = %s WHERE id = %s", ["system.check", entry.pk])
    report = audit_chain_verify()
    assert not report.ok and report.broken_entry_id == entry.pk and "edited" in report.problem
