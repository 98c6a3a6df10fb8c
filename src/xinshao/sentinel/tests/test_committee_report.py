"""A psych committee member reports a classmate: matched by name in their own class only, a Signal
of the class channel, and pages that show nothing about anybody."""
from django.db import connection
from django.urls import reverse

from xinshao.alerts.models import Level, Signal, Source
from xinshao.sentinel.models import CommitteeReport
from xinshao.sentinel.tests.support import classmate

URL = reverse("sentinel:report")


def _nothing_stored():
    return CommitteeReport.objects.count() == 0 and Signal.objects.count() == 0


def test_a_report_reaches_the_early_warning_engine_as_a_class_channel_signal(city, client_as):
    wang = classmate(city, "王小明", "A2026010")
    response = client_as(city.lin_user).post(URL, {"name": "王小明", "concerns": ["withdrawn", "low_mood"],
                                                   "note": "这周午饭都一个人坐，上课趴着。"})
    assert response.status_code == 302 and response["Location"] == reverse("sentinel:report_thanks")
    report = CommitteeReport.objects.get()
    signal = Signal.objects.get()
    assert (report.student, report.reporter, report.signal) == (wang, city.lin_user, signal)
    assert report.concerns == ["low_mood", "withdrawn"]  # checklist order
    assert (signal.student, signal.source, signal.raised_by) == (wang, Source.COMMITTEE_REPORT, city.lin_user)
    assert signal.facts["concerns"] == ["low_mood", "withdrawn"]
    assert signal.note == "这周午饭都一个人坐，上课趴着。"
    assert signal.origin == f"sentinel.committeereport:{report.pk}"
    with connection.cursor() as cursor:  # the free text is stored encrypted
        cursor.execute("SELECT note FROM sentinel_committeereport WHERE id = %s", [report.pk])
        assert "午饭" not in cursor.fetchone()[0]


def test_self_harm_talk_raises_a_red_alert_at_once(city, client_as):
    classmate(city, "王小明", "A2026010")
    client_as(city.lin_user).post(URL, {"name": "王小明", "concerns": ["self_harm_talk"]})
    signal = Signal.objects.get()
    assert signal.level == Level.RED and signal.alert is not None and signal.alert.level == Level.RED


def test_spaces_in_the_typed_name_do_not_matter(city, client_as):
    wang = classmate(city, "王小明", "A2026010")
    response = client_as(city.lin_user).post(URL, {"name": " 王 小明 ", "concerns": ["bullied"]})
    assert response.status_code == 302 and CommitteeReport.objects.get().student == wang


def test_a_student_of_another_class_or_school_is_not_found_and_nothing_is_stored(city, client_as):
    client = client_as(city.lin_user)
    for other in (city.chen, city.zhou):  # class A1 of his school; class B1 of school B
        response = client.post(URL, {"name": other.name, "student_number": other.student_number,
                                     "concerns": ["low_mood"]})
        assert response.status_code == 400
        assert "没有在你的班里找到这位同学" in response.content.decode()
    assert _nothing_stored()


def test_an_unknown_name_gets_a_calm_error(city, client_as):
    response = client_as(city.lin_user).post(URL, {"name": "王小", "concerns": ["low_mood"]})
    page = response.content.decode()
    assert response.status_code == 400 and "请写同学的全名" in page and 'role="alert"' in page
    assert _nothing_stored()


def test_two_classmates_with_one_name_need_the_student_number(city, client_as):
    classmate(city, "王小明", "A2026010")
    second = classmate(city, "王小明", "A2026011")
    client = client_as(city.lin_user)
    response = client.post(URL, {"name": "王小明", "concerns": ["low_mood"]})
    assert response.status_code == 400 and "请加上这位同学的学号" in response.content.decode()
    assert _nothing_stored()
    response = client.post(URL, {"name": "王小明", "student_number": "a2026011", "concerns": ["low_mood"]})
    assert response.status_code == 302 and CommitteeReport.objects.get().student == second


def test_a_member_cannot_report_about_themself_here(city, client_as):
    response = client_as(city.lin_user).post(URL, {"name": city.lin.name, "concerns": ["low_mood"]})
    assert response.status_code == 400 and _nothing_stored()


def test_without_a_ticked_concern_nothing_is_stored(city, client_as):
    classmate(city, "王小明", "A2026010")
    client = client_as(city.lin_user)
    for data in ({"name": "王小明"}, {"name": "王小明", "concerns": ["not_a_concern"]}, {"concerns": ["low_mood"]}):
        assert client.post(URL, data).status_code == 400
    assert client.post(URL, {"name": "王小明", "concerns": ["low_mood"], "note": "长" * 2001}).status_code == 400
    assert _nothing_stored()


def test_the_form_and_its_confirmation_name_nobody(city, client_as):
    wang = classmate(city, "王小明", "A2026010")
    others = [city.chen.name, city.zhou.name, wang.name]
    client = client_as(city.lin_user)
    form_page = client.get(URL).content.decode()
    response = client.post(URL, {"name": wang.name, "concerns": ["low_mood"]}, follow=True)
    thanks = response.content.decode()
    for page in (form_page, thanks):
        assert not [name for name in others if name in page]
        assert wang.student_number not in page
    assert "已收到，谢谢你" in thanks and "心理老师会跟进" in thanks
    assert "12356" in thanks and "110" in thanks and "120" in thanks  # what to do if someone is in danger now
