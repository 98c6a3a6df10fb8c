"""Class sheets: a real PDF with the class's students, their codes and QR codes, each print audited."""
import io

import pypdf
import segno
from django.urls import reverse

from xinshao.audit.models import AuditEntry
from xinshao.campaigns.codes import code_display
from xinshao.campaigns.models import Assignment, Campaign, ConsentRecord
from xinshao.campaigns.services import BatteryChoice, TargetChoice, campaign_create
from xinshao.campaigns.sheets import class_sheets


def pdf_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def code_of(campaign, student) -> str:
    return Assignment.objects.get(campaign=campaign, student=student).code


def test_a_class_sheet_lists_exactly_the_classs_students_with_their_codes(city, client_as, school_campaign):
    response = client_as(city.zhang_a1).get(reverse("campaigns:class_sheet", args=[school_campaign.pk, city.class_a1.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    pages = pdf_text(response.content)
    assert len(pages) == 1
    assert "东湖中学 初一1班" in pages[0] and "陈小雨" in pages[0] and "A2026001" in pages[0]
    assert code_display(code_of(school_campaign, city.chen)) in pages[0]
    assert "林晓东" not in pages[0] and code_display(code_of(school_campaign, city.lin)) not in pages[0]


def test_each_printed_class_is_audited_with_how_many_codes_it_carried(city, client_as, school_campaign):
    response = client_as(city.liu_a).get(reverse("campaigns:school_sheet", args=[school_campaign.pk, city.school_a.pk]))

    pages = pdf_text(response.content)
    assert len(pages) == 2 and "陈小雨" in pages[0] and "林晓东" in pages[1]
    entries = AuditEntry.objects.filter(action="campaign.sheets_print").order_by("id")
    assert [(e.actor_id, e.object_id, e.detail) for e in entries] == [
        (city.liu_a.pk, str(school_campaign.pk), {"class": city.class_a1.pk, "count": 1}),
        (city.liu_a.pk, str(school_campaign.pk), {"class": city.class_a2.pk, "count": 1}),
    ]


def test_the_qr_code_opens_the_start_page_with_the_code_filled_in(city, school_campaign):
    start_url = "http://testserver" + reverse("respond:start")

    [sheet] = class_sheets(city.liu_a, school_campaign, [city.class_a1], start_url)

    code = code_of(school_campaign, city.chen)
    expected = segno.make(f"{start_url}?code={code}", error="m").svg_inline(scale=2, border=1, omitsize=True)
    assert sheet.lines[0].qr_svg == expected


def test_a_student_whose_guardian_refused_gets_no_code_on_the_sheet(city, client_as, school_campaign):
    ConsentRecord.objects.create(campaign=school_campaign, student=city.chen, decision="refused", recorded_by=city.liu_a)

    response = client_as(city.liu_a).get(reverse("campaigns:class_sheet", args=[school_campaign.pk, city.class_a1.pk]))

    [page] = pdf_text(response.content)
    assert "陈小雨" in page and "不参加" in page
    assert code_display(code_of(school_campaign, city.chen)) not in page
    assert AuditEntry.objects.get(action="campaign.sheets_print").detail["count"] == 0


def test_a_draft_has_no_codes_and_so_no_sheets(city, client_as, school_campaign):
    draft = campaign_create(created_by=city.liu_a, name="草稿", audience=Campaign.Audience.STUDENTS, term=city.term,
                            opens_at=school_campaign.opens_at, closes_at=school_campaign.closes_at,
                            consent_rule=Campaign.ConsentRule.OPT_OUT, battery=[BatteryChoice("gad7")],
                            targets=[TargetChoice(school=city.school_a)], school=city.school_a)

    response = client_as(city.liu_a).get(reverse("campaigns:class_sheet", args=[draft.pk, city.class_a1.pk]))

    assert response.status_code == 404 and not AuditEntry.objects.filter(action="campaign.sheets_print").exists()


def test_the_detail_page_offers_sheets_only_for_the_classes_one_may_print(city, client_as, school_campaign):
    def sheet_links(user):
        page = client_as(user).get(reverse("campaigns:detail", args=[school_campaign.pk])).content.decode()
        return {c.pk for c in (city.class_a1, city.class_a2)
                if reverse("campaigns:class_sheet", args=[school_campaign.pk, c.pk]) in page}

    assert sheet_links(city.liu_a) == {city.class_a1.pk, city.class_a2.pk}
    assert sheet_links(city.zhang_a1) == {city.class_a1.pk}
    assert sheet_links(city.bai) == set()

