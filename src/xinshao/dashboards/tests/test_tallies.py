"""The screening figures come from per-term tallies: counted on a term's first view, counted again by
the periodic job while the term is under way, and left alone once it has settled."""
import datetime

from django.test import Client
from django.utils import timezone

from xinshao.alerts.tests.support import campaign_in, stored_result
from xinshao.campaigns.models import InstrumentResult
from xinshao.celery import app as celery_app
from xinshao.dashboards.models import ScreeningTally, TallyRefresh
from xinshao.dashboards.selectors import Filters, dashboard_tables
from xinshao.dashboards.services import live_tallies_refresh
from xinshao.org.models import Term
from xinshao.testing import enrolled_student

from .support import MODERATE, cell, table


def _submitted(city, term, school):
    return cell(table(dashboard_tables(city.xin, Filters(term=term)), "测评覆盖与完成"), school.name, "已提交")


def _new_student_result(city, campaign, number):
    student = enrolled_student(city.school_a, city.class_a1, number, f"新同学{number}", "F", (2013, 5, 1))
    return stored_result(campaign, student, "phqa", MODERATE)


def test_a_term_is_counted_on_its_first_view_and_again_by_the_periodic_job(city):
    campaign = campaign_in(city)
    _new_student_result(city, campaign, "T001")
    assert _submitted(city, city.term, city.school_a) == "1"
    _new_student_result(city, campaign, "T002")
    assert _submitted(city, city.term, city.school_a) == "1"   # the count stands until the job runs
    assert live_tallies_refresh() == 1
    assert _submitted(city, city.term, city.school_a) == "2"


def test_a_settled_term_keeps_its_count_when_its_answers_are_removed(city, settings):
    today = timezone.localdate()
    old = Term.objects.create(name="很久以前的学期", starts_on=today - datetime.timedelta(days=300),
                              ends_on=today - datetime.timedelta(days=settings.DASHBOARD_TALLY_SETTLE_DAYS + 1))
    result = _new_student_result(city, campaign_in(city, old, name="旧筛查"), "T003")
    assert _submitted(city, old, city.school_a) == "1"
    InstrumentResult.objects.filter(pk=result.pk).delete()
    live_tallies_refresh()
    assert _submitted(city, old, city.school_a) == "1"
    assert ScreeningTally.objects.filter(term=old).count() == 1


def test_the_page_says_when_the_figures_were_counted(city):
    campaign = campaign_in(city)
    _new_student_result(city, campaign, "T004")
    client = Client()
    client.force_login(city.xin)
    page = client.get("/dashboards/city/").content.decode()
    counted = timezone.localtime(TallyRefresh.objects.get(term=city.term).refreshed_at).strftime("%Y-%m-%d %H:%M")
    assert f"统计于 {counted}" in page


def test_the_periodic_count_is_scheduled(settings):
    entry = celery_app.conf.beat_schedule["dashboards-count-tallies"]
    assert entry == {"task": "xinshao.dashboards.tasks.count_live_tallies",
                     "schedule": settings.DASHBOARD_TALLY_MINUTES * 60.0}
