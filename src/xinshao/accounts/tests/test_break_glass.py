"""Break-glass: the psych centre opens one student's record outside its scope, on a reason."""
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from xinshao.access import scopes
from xinshao.accounts.models import BreakGlassGrant
from xinshao.audit.models import AuditEntry

REASON = "学生在热线中表达了强烈的自伤意图，需要立即了解既往测评和干预情况"


def test_without_a_grant_the_psych_centre_cannot_open_a_record(city, client_as):
    assert client_as(city.xin).get(reverse("records:student", args=[city.chen.pk])).status_code == 404


def test_a_grant_needs_a_written_reason(city, client_as):
    client = client_as(city.xin)
    url = reverse("accounts:break_glass_open", args=[city.chen.pk])
    for reason in ("", "紧急"):
        response = client.post(url, {"reason": reason})
        assert response.status_code == 400, reason
    assert not BreakGlassGrant.objects.exists()
    assert client.get(reverse("records:student", args=[city.chen.pk])).status_code == 404


def test_a_grant_opens_only_that_student_audited_and_reported(city, client_as):
    client = client_as(city.xin)
    response = client.post(reverse("accounts:break_glass_open", args=[city.chen.pk]), {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == reverse("records:student", args=[city.chen.pk])
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("records:student", args=[city.zhou.pk])).status_code == 404
    entry = AuditEntry.objects.get(action="accounts.break_glass_opened")
    assert entry.actor_id == city.xin.pk and entry.student_id == city.chen.pk and entry.detail["reason"] == REASON
    assert AuditEntry.objects.filter(action="records.growth_record_viewed", actor_id=city.xin.pk,
                                     student_id=city.chen.pk).count() == 1
    report = client_as(city.bai).get(reverse("audit:unusual")).content.decode()
    assert REASON in report and city.chen.name in report


def test_a_grant_lapses(city):
    now = timezone.now()
    BreakGlassGrant.objects.create(user=city.xin, student=city.chen, reason=REASON,
                                   granted_at=now - timedelta(hours=5), expires_at=now - timedelta(hours=1))
    assert not scopes.students_visible_to(city.xin).filter(pk=city.chen.pk).exists()


def test_only_the_psych_centre_may_break_glass(city, client_as):
    for user in (city.bai, city.liu_a, city.fen):
        response = client_as(user).post(reverse("accounts:break_glass_open", args=[city.chen.pk]), {"reason": REASON})
        assert response.status_code == 403, user
    assert not BreakGlassGrant.objects.exists()


def test_the_find_page_lists_only_an_exact_match(city, client_as):
    client = client_as(city.xin)
    assert city.chen.name not in client.get(reverse("accounts:break_glass_find"), {"q": "陈"}).content.decode()
    found = client.get(reverse("accounts:break_glass_find"), {"q": city.chen.name}).content.decode()
    assert reverse("accounts:break_glass_open", args=[city.chen.pk]) in found
