"""Creating a campaign on its page, and opening, pausing, extending and closing it."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from xinshao.campaigns.models import Assignment, Campaign, CampaignEvent
from xinshao.org.models import School

CREATE = reverse("campaigns:create")


def _when(delta: datetime.timedelta) -> str:
    return (timezone.localtime() + delta).strftime("%Y-%m-%dT%H:%M")


def campaign_form(city, owner: str, **overrides) -> dict:
    data = {
        "name": "初一心理筛查", "owner": owner, "audience": "students", "term": city.term.pk,
        "opens_at": _when(datetime.timedelta(0)), "closes_at": _when(datetime.timedelta(days=7)),
        "consent_rule": "opt_out", "feedback": "thanks", "instructions": "请安静作答。",
        "use_phqa": "on", "min_age_phqa": "11", "max_age_phqa": "17", "use_gad7": "on", "use_asq": "on",
        "order_phqa": "1", "order_gad7": "2", "order_asq": "3",
    }
    return {key: value for key, value in {**data, **overrides}.items() if value is not None}


def test_the_bureau_creates_a_city_wide_j1_screening_of_every_school(city, client_as):
    data = campaign_form(city, f"region-{city.region.pk}", all_schools="on", levels=["J1"], consent_rule="opt_in")

    response = client_as(city.bai).post(CREATE, data)

    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("campaigns:detail", args=[campaign.pk])
    assert (campaign.region, campaign.school, campaign.status) == (city.region, None, Campaign.Status.DRAFT)
    assert campaign.consent_rule == Campaign.ConsentRule.OPT_IN
    assert {(t.school, t.level, t.school_class) for t in campaign.targets.all()} == {
        (city.school_a, "J1", None), (city.school_b, "J1", None)}
    assert [(b.instrument_id, b.min_age, b.max_age) for b in campaign.battery.all()] == [
        ("phqa", 11, 17), ("gad7", None, None), ("asq", None, None)]
    assert list(campaign.events.values_list("kind", flat=True)) == ["created"]


def test_a_psych_teacher_creates_a_screening_of_one_class_of_her_school(city, client_as):
    data = campaign_form(city, f"school-{city.school_a.pk}", classes=[city.class_a1.pk])

    assert client_as(city.liu_a).post(CREATE, data).status_code == 302

    campaign = Campaign.objects.get()
    assert (campaign.school, campaign.region, campaign.created_by) == (city.school_a, None, city.liu_a)
    assert [(t.school, t.school_class) for t in campaign.targets.all()] == [(city.school_a, city.class_a1)]


def test_a_teacher_survey_needs_no_guardian_consent_and_targets_the_whole_school(city, client_as):
    data = campaign_form(city, f"school-{city.school_a.pk}", audience="teachers", consent_rule="opt_in",
                         use_phqa=None, use_asq=None, use_gad7=None, use_pss10="on", use_cbi="on")

    assert client_as(city.song_a).post(CREATE, data).status_code == 302

    campaign = Campaign.objects.get()
    assert campaign.consent_rule == Campaign.ConsentRule.NOT_REQUIRED
    assert [(t.school, t.level) for t in campaign.targets.all()] == [(city.school_a, "")]


def test_the_form_suggests_each_instruments_age_range(city, client_as):
    response = client_as(city.liu_a).get(CREATE)

    form = response.context["form"]
    assert (form["min_age_phqa"].initial, form["max_age_phqa"].initial) == (11, 17)
    assert form["min_age_gad7"].initial == 12
    assert form.offers_classes and not form.offers_schools
    assert "青少年版患者健康问卷（PHQ-A）" in response.content.decode()


BAD_INPUT = [
    ("no instrument", {"use_phqa": None, "use_gad7": None, "use_asq": None}, "至少选择一个量表。"),
    ("closes before it opens", {"closes_at": _when(datetime.timedelta(hours=-2))}, "结束时间必须晚于开始时间。"),
    ("an instrument for teachers only", {"use_cbi": "on"}, "CBI 不适用于这类答题人。"),
    ("an age range upside down", {"min_age_phqa": "17", "max_age_phqa": "11"}, "PHQA 的年龄范围无效。"),
    ("a grade no school of hers teaches", {"levels": ["P1"]}, "选择一个有效的选项"),
    ("another school's class", {"classes": ["{class_b1}"]}, "选择一个有效的选项"),
    ("grades for a teacher survey", {"audience": "teachers", "levels": ["J1"]}, "教师测评按学校选择对象"),
    ("no name", {"name": ""}, "这个字段是必填项。"),
]


@pytest.mark.parametrize("label,overrides,message", BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_bad_input_is_refused_with_a_clear_message_and_saves_nothing(city, client_as, label, overrides, message):
    overrides = {k: [v.format(class_b1=city.class_b1.pk) for v in value] if isinstance(value, list) else value
                 for k, value in overrides.items()}
    response = client_as(city.liu_a).post(CREATE, campaign_form(city, f"school-{city.school_a.pk}", **overrides))

    assert response.status_code == 400
    assert message.upper() in response.content.decode().upper()
    assert not Campaign.objects.exists() and not CampaignEvent.objects.exists()


def test_a_school_cannot_create_a_campaign_for_the_city_or_another_school(city, client_as):
    for owner in (f"region-{city.region.pk}", f"school-{city.school_b.pk}"):
        response = client_as(city.liu_a).post(CREATE, campaign_form(city, owner))
        assert response.status_code == 400 and "owner" in response.context["form"].errors
    assert not Campaign.objects.exists()


def test_the_bureau_must_pick_schools_that_teach_the_grades(city, client_as):
    School.objects.create(code="C001", name="东湖高中", kind="senior", district=city.district_a)
    client = client_as(city.bai)
    none_picked = client.post(CREATE, campaign_form(city, f"region-{city.region.pk}", levels=["J1"]))
    no_such_grade = client.post(CREATE, campaign_form(city, f"region-{city.region.pk}", schools=[city.school_b.pk],
                                                      levels=["S1"]))

    assert "请选择学校，或勾选本区域全部学校。" in none_picked.content.decode()
    assert "这些学校没有所选的年级：西山中学" in no_such_grade.content.decode()
    assert not Campaign.objects.exists()


def test_a_psych_teacher_of_two_schools_picks_grades_the_chosen_school_teaches(city, client_as):
    primary = School.objects.create(code="P001", name="东湖小学", kind="primary", district=city.district_a)
    city.liu_a.role_assignments.create(role="psych_teacher", school=primary)

    response = client_as(city.liu_a).post(CREATE, campaign_form(city, f"school-{city.school_a.pk}", levels=["P5"]))

    assert response.status_code == 400 and "本校没有所选的年级。" in response.content.decode()
    assert not Campaign.objects.exists()


def _change(client, campaign, **data):
    return client.post(reverse("campaigns:change", args=[campaign.pk]), data, follow=True)


def test_a_draft_is_opened_paused_resumed_extended_and_closed_with_every_step_recorded(city, client_as):
    client = client_as(city.liu_a)
    client.post(CREATE, campaign_form(city, f"school-{city.school_a.pk}", levels=["J1"]))
    campaign = Campaign.objects.get()
    later = timezone.localtime(campaign.closes_at) + datetime.timedelta(days=3)

    assert "测评已开始，访问码已生成。" in _change(client, campaign, action="open").content.decode()
    assert set(Assignment.objects.filter(campaign=campaign).values_list("student__name", flat=True)) == {"陈小雨", "林晓东"}
    _change(client, campaign, action="pause", reason="机房断网")
    _change(client, campaign, action="resume")
    _change(client, campaign, action="extend", closes_at=later.strftime("%Y-%m-%dT%H:%M"))
    page = _change(client, campaign, action="close").content.decode()

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    assert campaign.closes_at == later.replace(second=0, microsecond=0)
    events = [(event.kind, event.reason) for event in campaign.events.all()]
    assert events == [("created", ""), ("opened", ""), ("paused", "机房断网"), ("opened", ""),
                      ("extended", ""), ("closed", "")]
    assert "机房断网" in page and "开始" in page


def test_a_change_the_state_does_not_allow_is_refused_plainly(city, client_as, school_campaign):
    client = client_as(city.liu_a)
    earlier = timezone.localtime(school_campaign.closes_at) - datetime.timedelta(days=1)

    refused_extend = _change(client, school_campaign, action="extend", closes_at=earlier.strftime("%Y-%m-%dT%H:%M"))
    missing_date = _change(client, school_campaign, action="extend")
    _change(client, school_campaign, action="close")
    reopened = _change(client, school_campaign, action="open")

    assert "新的结束时间必须晚于原结束时间。" in refused_extend.content.decode()
    assert "请填写新的结束时间。" in missing_date.content.decode()
    assert "只有草稿或已暂停的测评可以开始。" in reopened.content.decode()
    school_campaign.refresh_from_db()
    assert school_campaign.status == Campaign.Status.CLOSED


def test_the_detail_page_shows_battery_targets_and_history(city, client_as, school_campaign):
    page = client_as(city.zhang_a1).get(reverse("campaigns:detail", args=[school_campaign.pk])).content.decode()

    assert "青少年版患者健康问卷（PHQ-A）" in page and "东湖中学：初一" in page and "生成 2 个访问码" in page
    # A class teacher follows the campaign but does not change it.
    assert reverse("campaigns:change", args=[school_campaign.pk]) not in page


def test_the_list_shows_only_the_campaigns_in_scope(city, client_as, school_campaign):
    assert "2026秋季心理筛查" in client_as(city.liu_a).get(reverse("campaigns:list")).content.decode()
    assert "2026秋季心理筛查" not in client_as(city.wang_b).get(reverse("campaigns:list")).content.decode()
