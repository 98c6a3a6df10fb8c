"""Guardian consent: recorded by school staff from paper slips, or given by the guardian online;
every decision kept, the newest one counts."""
from django.urls import reverse

from xinshao.audit.models import AuditEntry
from xinshao.campaigns.models import Campaign, ConsentRecord
from xinshao.campaigns.services import TargetChoice, campaign_close
from xinshao.campaigns.tests.staff_support import make_campaign

FAMILY = reverse("campaigns:family")


def consent_url(campaign, school_class=None) -> str:
    url = reverse("campaigns:consent", args=[campaign.pk])
    return f"{url}?school_class={school_class.pk}" if school_class else url


def decisions(campaign, student) -> list[tuple]:
    return list(ConsentRecord.objects.filter(campaign=campaign, student=student)
                .values_list("decision", "recorded_by__username", "guardian__name"))


def test_the_summary_lists_the_psych_teachers_own_classes_only(city, client_as, city_campaign):
    response = client_as(city.liu_a).get(consent_url(city_campaign))

    assert [(row["school_class"], row["undecided"]) for row in response.context["classes"]] == [
        (city.class_a1, 1), (city.class_a2, 1)]


def test_paper_slips_of_a_class_are_recorded_and_every_decision_is_kept(city, client_as, city_campaign):
    client = client_as(city.liu_a)
    url = consent_url(city_campaign, city.class_a1)

    client.post(url, {f"student_{city.chen.pk}": "granted", "note": "纸质回执"})
    response = client.post(url, {f"student_{city.chen.pk}": "refused", "note": "家长电话更正"}, follow=True)

    assert decisions(city_campaign, city.chen) == [("refused", "liu_a", None), ("granted", "liu_a", None)]
    page = response.content.decode()
    assert "已记录 1 名学生的监护人决定。" in page and "家长电话更正" in page and "纸质回执" in page
    assert AuditEntry.objects.filter(action="campaign.consent", student_id=city.chen.pk).count() == 2


def test_a_blank_or_tampered_slip_records_nothing(city, client_as, city_campaign):
    client = client_as(city.song_a)
    url = consent_url(city_campaign, city.class_a1)

    blank = client.post(url, {f"student_{city.chen.pk}": ""})
    tampered = client.post(url, {f"student_{city.chen.pk}": "maybe"})

    assert blank.status_code == tampered.status_code == 400
    assert "没有选择任何学生的决定。" in blank.content.decode()
    assert not ConsentRecord.objects.exists()


def test_another_schools_class_is_not_found(city, client_as, city_campaign):
    client = client_as(city.liu_a)

    assert client.get(consent_url(city_campaign, city.class_b1)).status_code == 404
    assert client.get(reverse("campaigns:consent", args=[city_campaign.pk]) + "?school_class=x").status_code == 404


def test_no_consent_is_recorded_once_the_campaign_has_closed(city, client_as, city_campaign):
    campaign_close(campaign=city_campaign, actor=city.bai)

    response = client_as(city.liu_a).post(consent_url(city_campaign, city.class_a1), {f"student_{city.chen.pk}": "granted"})

    assert response.status_code == 400 and "测评已经结束，不能再记录知情同意。" in response.content.decode()
    assert not ConsentRecord.objects.exists()


def test_a_guardian_sees_her_childs_campaign_and_grants_then_withdraws_consent(city, client_as, city_campaign):
    client = client_as(city.chen_ma_user)
    page = client.get(FAMILY).content.decode()
    assert "陈小雨" in page and "2026秋季心理筛查" in page and "青少年版患者健康问卷（PHQ-A）" in page
    assert "您同意后孩子才会参加。" in page

    client.post(FAMILY, {"campaign": city_campaign.pk, "student": city.chen.pk, "decision": "granted"})
    response = client.post(FAMILY, {"campaign": city_campaign.pk, "student": city.chen.pk, "decision": "refused"},
                           follow=True)

    assert decisions(city_campaign, city.chen) == [("refused", "chen_ma", "陈妈妈"), ("granted", "chen_ma", "陈妈妈")]
    assert "当前决定：</strong>拒绝" in response.content.decode()


def test_a_guardian_cannot_decide_for_another_child_or_another_campaign(city, client_as, city_campaign):
    school_b_only = make_campaign(city, created_by=city.wang_b, school=city.school_b,
                                  targets=[TargetChoice(school=city.school_b)])
    client = client_as(city.chen_ma_user)

    other_child = client.post(FAMILY, {"campaign": city_campaign.pk, "student": city.lin.pk, "decision": "granted"})
    other_campaign = client.post(FAMILY, {"campaign": school_b_only.pk, "student": city.chen.pk, "decision": "granted"})
    tampered = client.post(FAMILY, {"campaign": city_campaign.pk, "student": city.chen.pk, "decision": "yes"})

    assert (other_child.status_code, other_campaign.status_code, tampered.status_code) == (404, 404, 400)
    assert not ConsentRecord.objects.exists()


def test_a_guardian_is_not_asked_about_closed_campaigns_or_those_needing_no_consent(city, client_as, school_campaign):
    Campaign.objects.filter(pk=school_campaign.pk).update(consent_rule=Campaign.ConsentRule.NOT_REQUIRED)
    closed = make_campaign(city, created_by=city.liu_a, school=city.school_a, targets=[TargetChoice(school=city.school_a)])
    campaign_close(campaign=closed, actor=city.liu_a)

    response = client_as(city.chen_ma_user).get(FAMILY)

    assert response.context["children"][0]["campaigns"] == []
    assert "目前没有需要您决定的测评。" in response.content.decode()
