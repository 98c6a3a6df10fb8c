"""The agency portal's pages: what a referral page shares (and what it never shows), the audit
of each opening, the answers through the forms, the overdue flag, and the menu entry."""
import pytest
from django.urls import reverse
from django.utils import timezone

from xinshao.alerts.models import Source
from xinshao.alerts.services import signal_receive
from xinshao.audit.models import AuditEntry
from xinshao.cases.models import CounsellingSession, Referral, SafetyPlan
from xinshao.cases.tests.referral_support import (
    REASON,
    day,
    open_case,
    referral_in,
    sent,
)
from xinshao.notifications.models import Notification

pytestmark = pytest.mark.django_db
R = Referral.State


def _page(client, referral, **kwargs) -> str:
    return client.get(reverse("agency:detail", args=[referral.pk]), **kwargs).content.decode()


def test_a_referral_page_shows_what_the_referral_shares(city, client_as):
    referral = sent(city, open_case(city), urgency="orange")
    page = _page(client_as(city.yi), referral)
    today = timezone.localdate()
    age = today.year - 2013 - ((today.month, today.day) < (5, 2))
    for text in ("陈小雨", "女", f"{age} 岁", "东湖中学", REASON, "橙色", "母亲", "书面签字", "同意转介至明州市精神卫生中心",
                 "未同意把诊断反馈给学校", "接收", "告知学校不能接收"):
        assert text in page, text


def test_a_referral_page_never_shows_the_rest_of_the_case(city, client_as):
    signal_receive(student=city.chen, source=Source.GUARDIAN_CONCERN, raised_by=city.chen_ma_user,
                   facts={"concerns": ["low_mood"]}, note="家长说孩子最近常在夜里哭")
    case = open_case(city)
    # Written straight to the tables: this test is about what the portal reads, not how they are written.
    written = {"case": case, "written_by": city.liu_a, "written_at": timezone.now(), "written_at_school": city.school_a}
    CounsellingSession.objects.create(**written, held_at=timezone.now(), kind="individual", minutes=40,
                                      private_notes="辅导中谈到和父亲的冲突")
    SafetyPlan.objects.create(**written, warning_signs="一个人关在房间里", coping_steps="听音乐放松一下",
                              people_to_contact="班主任张老师", professional_help="心理热线")
    referral = sent(city, case)
    page = _page(client_as(city.yi), referral)
    for secret in ("课堂上情绪崩溃", "辅导中谈到和父亲的冲突", "一个人关在房间里", "家长说孩子最近常在夜里哭",
                   "13800138000", "A2026001", "1班", "刘心理A", "张班主任"):
        assert secret not in page, secret
    assert f"/cases/{case.pk}" not in page, "no link into the school's case pages"


def test_each_opening_of_a_referral_page_is_audited(city, client_as):
    referral = sent(city)
    client = client_as(city.yi)
    _page(client, referral)
    _page(client, referral)
    entries = AuditEntry.objects.filter(action="cases.referral_viewed_by_agency", actor_label="yi",
                                        student_id=city.chen.pk, object_id=str(referral.pk))
    assert entries.count() == 2


def test_the_list_names_no_student_and_writes_no_audit_entry(city, client_as):
    sent(city)
    page = client_as(city.yi).get(reverse("agency:list")).content.decode()
    assert "东湖中学" in page and "红色" in page and "陈小雨" not in page
    assert not AuditEntry.objects.filter(actor_label="yi").exists()


def test_an_overdue_referral_is_flagged_on_the_list_and_the_page(city, client_as):
    late = sent(city)
    Referral.objects.filter(pk=late.pk).update(respond_by=timezone.now() - timezone.timedelta(hours=2))
    slow = referral_in(city, R.ACCEPTED, open_case(city, student=city.lin))
    Referral.objects.filter(pk=slow.pk).update(answered_at=timezone.now() - timezone.timedelta(days=31))
    client = client_as(city.yi)
    rows = {row.pk: row for row in client.get(reverse("agency:list")).context["rows"]}
    assert rows[late.pk].overdue and rows[slow.pk].overdue
    page = client.get(reverse("agency:list")).content.decode()
    assert "已过回复期限" in page and "反馈已超期" in page
    assert "已过回复期限，学校在等待答复" in _page(client, late)
    assert "学校还没有收到反馈" in _page(client, slow)


# --- answering through the forms ------------------------------------------------------------

def _post(client, name, referral, data=None):
    return client.post(reverse(name, args=[referral.pk]), data or {})


def test_a_decline_without_a_reason_answers_400_and_changes_nothing(city, client_as):
    referral = sent(city)
    response = _post(client_as(city.yi), "agency:decline", referral, {"reason": ""})
    assert response.status_code == 400 and "还没有保存" in response.content.decode()
    referral.refresh_from_db()
    assert referral.state == R.SENT and not Notification.objects.filter(recipient=city.liu_a).exists()
    response = _post(client_as(city.yi), "agency:decline", referral, {"reason": "本机构儿童门诊暂停接诊"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == R.DECLINED and referral.decline_reason == "本机构儿童门诊暂停接诊"


def test_a_visit_in_the_future_answers_400_and_changes_nothing(city, client_as):
    referral = referral_in(city, R.ACCEPTED)
    response = _post(client_as(city.yi), "agency:seen", referral, {"seen_on": day(2).isoformat()})
    assert response.status_code == 400 and "不能晚于今天" in response.content.decode()
    referral.refresh_from_db()
    assert referral.state == R.ACCEPTED and referral.seen_on is None
    assert _post(client_as(city.yi), "agency:seen", referral, {"seen_on": day().isoformat()}).status_code == 302
    referral.refresh_from_db()
    assert referral.state == R.SEEN and referral.seen_on == day()


def test_without_consent_to_share_there_is_no_diagnosis_field_and_a_sent_one_is_refused(city, client_as):
    referral = referral_in(city, R.SEEN, shares=False)
    client = client_as(city.yi)
    assert 'name="diagnosis_summary"' not in _page(client, referral)
    response = _post(client, "agency:feedback", referral, {"diagnosis_summary": "重度抑郁发作",
                                                           "recommendations": "建议每周随访一次"})
    assert response.status_code == 400 and "监护人没有同意把诊断摘要反馈给学校" in response.content.decode()
    referral.refresh_from_db()
    assert referral.state == R.SEEN and referral.diagnosis_summary == "" and referral.recommendations == ""


def test_with_consent_to_share_the_diagnosis_is_sent_with_the_feedback(city, client_as):
    referral = referral_in(city, R.SEEN, shares=True)
    client = client_as(city.yi)
    assert 'name="diagnosis_summary"' in _page(client, referral)
    response = _post(client, "agency:feedback", referral, {"diagnosis_summary": "中度抑郁发作",
                                                           "recommendations": "建议每周随访一次",
                                                           "return_to_school": "可以正常返校"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.state, referral.diagnosis_summary, referral.return_to_school) == (
        R.FEEDBACK_RECEIVED, "中度抑郁发作", "可以正常返校")
    page = _page(client, referral)
    assert "中度抑郁发作" in page and "发送反馈" not in page


def test_accepting_twice_says_why_and_changes_nothing(city, client_as):
    referral = referral_in(city, R.ACCEPTED)
    response = client_as(city.yi).post(reverse("agency:accept", args=[referral.pk]), follow=True)
    assert "不能改为" in response.content.decode()
    referral.refresh_from_db()
    assert referral.state == R.ACCEPTED


def test_the_menu_offers_the_portal_to_clinicians_only(city, client_as):
    assert "转介接收" in client_as(city.yi).get(reverse("core:home")).content.decode()
    assert "转介接收" not in client_as(city.liu_a).get(reverse("core:home")).content.decode()
