"""The class teacher's side: home visits and parent meetings, referrals, and the attention list."""
import datetime

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from xinshao.alerts.models import Alert, Level, Signal, Source
from xinshao.alerts.services import signal_receive
from xinshao.audit.models import AuditEntry
from xinshao.sentinel.models import HomeSchoolRecord, TeacherReferral
from xinshao.sentinel.tests.support import classmate, record, record_form

NEW = reverse("sentinel:record_new")
REFER = reverse("sentinel:refer")
ATTENTION = reverse("sentinel:attention")


def _detail(record_id: int) -> str:
    return reverse("sentinel:record_detail", kwargs={"record_id": record_id})


# --- home visits and parent meetings -------------------------------------------------------

def test_a_home_visit_record_is_a_home_visit_signal(city, client_as):
    response = client_as(city.zhang_a1).post(NEW, record_form(city.chen))
    record_ = HomeSchoolRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == _detail(record_.pk)
    signal = Signal.objects.get()
    assert (record_.student, record_.author, record_.school, record_.signal) == (city.chen, city.zhang_a1,
                                                                                city.school_a, signal)
    assert (signal.student, signal.source, signal.raised_by) == (city.chen, Source.HOME_VISIT, city.zhang_a1)
    assert {k: signal.facts[k] for k in ("concern", "concerns")} == {"concern": "some",
                                                                     "concerns": ["withdrawn", "sleep_energy"]}
    assert signal.level == Level.YELLOW
    with connection.cursor() as cursor:  # the summary is stored encrypted
        cursor.execute("SELECT summary FROM sentinel_homeschoolrecord WHERE id = %s", [record_.pk])
        assert "不说话" not in cursor.fetchone()[0]


def test_a_parent_meeting_is_a_parent_meeting_signal(city, client_as):
    client_as(city.zhang_a1).post(NEW, record_form(city.chen, kind="parent_meeting", concern="none", concerns=None))
    signal = Signal.objects.get()
    assert signal.source == Source.PARENT_MEETING
    assert {k: signal.facts[k] for k in ("concern", "concerns")} == {"concern": "none", "concerns": []}
    assert signal.alert is None  # below every rule: recorded, no alert


def test_a_bad_record_stores_nothing(city, client_as):
    client = client_as(city.zhang_a1)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    bad = [
        record_form(city.lin),  # class A2 is not hers
        record_form(city.zhou),  # another school
        record_form(city.chen, student="abc"),
        record_form(city.chen, happened_on=tomorrow),
        record_form(city.chen, happened_on="2026-13-40"),
        record_form(city.chen, summary=""),
        record_form(city.chen, summary="长" * 2001),
        record_form(city.chen, kind="phone_call"),
        record_form(city.chen, concern="extreme"),
        record_form(city.chen, concerns=["not_a_concern"]),
        record_form(city.chen, participants=None),
    ]
    for data in bad:
        response = client.post(NEW, data)
        assert response.status_code == 400, data
        assert 'role="alert"' in response.content.decode()
    assert HomeSchoolRecord.objects.count() == 0 and Signal.objects.count() == 0


def test_a_record_is_read_by_its_author_and_the_schools_psych_teacher_and_each_read_is_audited(city, client_as):
    written = record(city.zhang_a1, city.chen, summary="父母最近在闹离婚。")
    for reader in (city.zhang_a1, city.liu_a):
        response = client_as(reader).get(_detail(written.pk))
        assert response.status_code == 200 and "父母最近在闹离婚。" in response.content.decode()
    reads = AuditEntry.objects.filter(action="sentinel.homeschoolrecord.view").order_by("id")
    assert [(e.actor_id, e.student_id, e.object_id) for e in reads] == [
        (city.zhang_a1.pk, city.chen.pk, str(written.pk)), (city.liu_a.pk, city.chen.pk, str(written.pk))]
    for stranger in (city.qian_b1, city.wang_b, city.song_a, city.xin, city.chen_ma_user, city.chen_user):
        assert client_as(stranger).get(_detail(written.pk)).status_code == 404
    assert reads.count() == 2


def test_a_class_teacher_lists_only_her_own_records_and_a_psych_teacher_her_schools(city, client_as):
    record(city.zhang_a1, city.chen)
    record(city.qian_b1, city.zhou)
    own = client_as(city.zhang_a1).get(reverse("sentinel:records")).content.decode()
    assert city.chen.name in own and city.zhou.name not in own
    school = client_as(city.liu_a).get(reverse("sentinel:school_records")).content.decode()
    assert city.chen.name in school and city.zhou.name not in school and city.zhang_a1.display_name in school
    listed = AuditEntry.objects.filter(action="sentinel.homeschoolrecord.list")
    assert [entry.detail["students"] for entry in listed] == [[city.chen.pk], [city.chen.pk]]


def test_the_record_form_offers_only_her_own_class(city, client_as):
    page = client_as(city.zhang_a1).get(NEW).content.decode()
    assert city.chen.name in page and city.lin.name not in page and city.zhou.name not in page


# --- referrals -----------------------------------------------------------------------------

def test_an_urgent_referral_is_a_red_teacher_referral_signal(city, client_as):
    response = client_as(city.zhang_a1).post(REFER, {"student": city.chen.pk, "concerns": ["injury_marks"],
                                                     "note": "手臂上有划痕。", "urgent": "on"})
    assert response.status_code == 302
    referral, signal = TeacherReferral.objects.get(), Signal.objects.get()
    assert (referral.student, referral.urgent, referral.signal) == (city.chen, True, signal)
    assert (signal.source, signal.raised_by, signal.note) == (Source.TEACHER_REFERRAL, city.zhang_a1, "手臂上有划痕。")
    assert {k: signal.facts[k] for k in ("concerns", "urgent")} == {"concerns": ["injury_marks"], "urgent": True}
    assert signal.level == Level.RED


def test_a_bad_referral_stores_nothing(city, client_as):
    client = client_as(city.zhang_a1)
    for data in ({"student": city.chen.pk}, {"student": city.lin.pk, "concerns": ["withdrawn"]},
                 {"student": city.zhou.pk, "concerns": ["withdrawn"]}, {"concerns": ["withdrawn"]},
                 {"student": city.chen.pk, "concerns": ["nope"]}):
        assert client.post(REFER, data).status_code == 400, data
    assert TeacherReferral.objects.count() == 0 and Signal.objects.count() == 0


# --- the attention list --------------------------------------------------------------------

def _alert(city, student, source, facts, note="") -> Alert:
    signal = signal_receive(student=student, source=source, raised_by=city.liu_a, facts=facts, note=note,
                            origin=f"test:{student.pk}:{source}")
    return signal.alert


def test_the_attention_list_shows_care_words_the_date_and_whom_to_talk_to_never_why(city, client_as):
    second = classmate(city, "赵一", "A2026020", school_class=city.class_a1)
    third = classmate(city, "钱二", "A2026021", school_class=city.class_a1)
    red = _alert(city, city.chen, Source.COMMITTEE_REPORT, {"concerns": ["self_harm_talk"]}, note="说过不想活了")
    orange = _alert(city, second, Source.TEACHER_REFERRAL, {"concerns": ["withdrawn"], "urgent": False})
    yellow = _alert(city, third, Source.SELF_CHECKIN, {"mood": 1, "stress": 5, "wants_talk": True})
    assert (red.level, orange.level, yellow.level) == (Level.RED, Level.ORANGE, Level.YELLOW)
    response = client_as(city.zhang_a1).get(ATTENTION)
    page = response.content.decode()
    rows = page.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.index(city.chen.name) < rows.index(second.name) < rows.index(third.name)  # closest care first
    for word in ("重点关注", "密切关注", "一般关注"):
        assert word in rows
    assert city.liu_a.display_name in rows and red.created_at.astimezone().strftime("%Y-%m-%d") in rows
    assert "不要向学生本人或其他同学提起" in page
    forbidden = ["说过不想活了", "想伤害自己", "心理委员", "转介", "自评", "红色", "橙色", "黄色", "预警", "分",
                 city.lin.name, "self_harm_talk", "critical"]
    assert not [word for word in forbidden if word in rows]
    [audited] = AuditEntry.objects.filter(action="sentinel.attention.view", actor_id=city.zhang_a1.pk)
    assert audited.detail == {"students": sorted([city.chen.pk, second.pk, third.pk])}


def test_the_attention_list_holds_only_the_teachers_own_class(city, client_as):
    _alert(city, city.chen, Source.TEACHER_REFERRAL, {"concerns": ["withdrawn"], "urgent": False})
    _alert(city, city.lin, Source.TEACHER_REFERRAL, {"concerns": ["withdrawn"], "urgent": False})
    _alert(city, city.zhou, Source.TEACHER_REFERRAL, {"concerns": ["withdrawn"], "urgent": False})
    own = client_as(city.zhang_a1).get(ATTENTION).content.decode()
    assert city.chen.name in own and city.lin.name not in own and city.zhou.name not in own
    other = client_as(city.qian_b1).get(ATTENTION).content.decode()
    assert city.zhou.name in other and city.chen.name not in other


def test_a_closed_alert_leaves_the_list(city, client_as):
    alert = _alert(city, city.chen, Source.TEACHER_REFERRAL, {"concerns": ["withdrawn"], "urgent": False})
    Alert.objects.filter(pk=alert.pk).update(state=Alert.State.CLOSED)
    page = client_as(city.zhang_a1).get(ATTENTION).content.decode()
    assert city.chen.name not in page and "本班目前没有需要特别关注的学生" in page
