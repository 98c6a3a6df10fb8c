"""The pages: who sees which agreement and which contact details, the forms' errors, the signed
document, and the bureau's lists."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from xinshao.core.navigation import DESTINATIONS
from xinshao.partners import services
from xinshao.partners.models import ServiceAgreement
from xinshao.partners.tests.support import PDF, agreement_in_force

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def _detail(agreement):
    return reverse("partners:agreement_detail", args=[agreement.pk])


def test_a_school_sees_its_own_agreements_and_gets_404_for_another_schools(city, client_as):
    own = agreement_in_force(agency=city.agency, schools=[city.school_a], actor=city.bai, title="东湖中学协议")
    other = agreement_in_force(agency=city.agency, schools=[city.school_b], actor=city.bai, title="西山中学协议")
    client = client_as(city.liu_a)
    listing = client.get(reverse("partners:agreements")).content.decode()
    assert "东湖中学协议" in listing and "西山中学协议" not in listing
    assert client.get(_detail(own)).status_code == 200
    assert client.get(_detail(other)).status_code == 404
    assert client_as(city.du).get(_detail(other)).status_code == 200


def test_a_school_sees_it_shares_an_agreement_but_not_with_whom(city, client_as):
    agreement = agreement_in_force(agency=city.agency, schools=[city.school_a, city.school_b], actor=city.bai)
    page = client_as(city.song_a).get(_detail(agreement)).content.decode()
    assert city.school_a.name in page and city.school_b.name not in page and "另有 1 所学校" in page
    assert city.school_b.name in client_as(city.bai).get(_detail(agreement)).content.decode()


def test_schools_see_whom_to_call_and_the_bureau_also_sees_email_and_notes(city, client_as):
    services.contact_save(agency=city.agency, actor=city.bai, name="赵主任", post="儿童青少年心理科主任",
                          phone="13900001111", email="zhao@mhc.example.cn", note="续签找她", is_primary=True)
    url = reverse("partners:agency_detail", args=[city.agency.pk])
    school_page = client_as(city.liu_a).get(url).content.decode()
    assert "赵主任" in school_page and "13900001111" in school_page
    assert "zhao@mhc.example.cn" not in school_page and "续签找她" not in school_page
    bureau_page = client_as(city.du).get(url).content.decode()
    assert "zhao@mhc.example.cn" in bureau_page and "续签找她" in bureau_page
    assert "赵主任" in client_as(city.liu_a).get(reverse("partners:agencies")).content.decode()


def _agreement_post(city, **changes):
    today = timezone.localdate()
    return {"agency": city.agency.pk, "title": "心理服务协议", "number": "XY-1", "schools": [city.school_a.pk],
            "scope": ["assessment", "crisis_intervention"], "starts_on": today.isoformat(),
            "ends_on": (today + 365 * DAY).isoformat(), **changes}


def test_the_bureau_admin_makes_signs_and_brings_an_agreement_into_force_through_the_pages(city, client_as):
    client = client_as(city.bai)
    response = client.post(reverse("partners:agreement_new"), _agreement_post(city))
    agreement = ServiceAgreement.objects.get()
    assert response.status_code == 302 and agreement.state == "draft"
    response = client.post(reverse("partners:agreement_document", args=[agreement.pk]),
                           {"file": SimpleUploadedFile("签署版.pdf", PDF)})
    assert response.status_code == 302
    assert client.post(reverse("partners:agreement_activate", args=[agreement.pk])).status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == "active" and agreement.document_name == "签署版.pdf"
    download = client_as(city.liu_a).get(reverse("partners:agreement_file", args=[agreement.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize("changes,field", [
    ({"ends_on": "2000-01-01"}, "ends_on"), ({"schools": []}, "schools"), ({"scope": []}, "scope"),
    ({"title": ""}, "title"),
])
def test_an_agreement_form_with_a_mistake_answers_400_and_stores_nothing(city, client_as, changes, field):
    response = client_as(city.bai).post(reverse("partners:agreement_new"), _agreement_post(city, **changes))
    assert response.status_code == 400 and field in response.context["form"].errors
    assert not ServiceAgreement.objects.exists()


@pytest.mark.parametrize("name,content,words", [
    ("协议.docx", b"PK\x03\x04", "PDF"), ("协议.pdf", b"MZ\x90\x00", "与扩展名不符"), ("协议.pdf", b"", "空的"),
])
def test_a_bad_document_is_refused_next_to_the_field_and_nothing_is_stored(city, client_as, _media, name, content,
                                                                            words):
    agreement = agreement_in_force(agency=city.agency, schools=[city.school_a], actor=city.bai)
    response = client_as(city.bai).post(reverse("partners:agreement_document", args=[agreement.pk]),
                                        {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400 and words in response.context["document_form"].errors["file"][0]
    agreement.refresh_from_db()
    assert not agreement.document and not (_media.exists() and any(p.is_file() for p in _media.rglob("*")))


def test_terminating_without_a_reason_answers_400_and_changes_nothing(city, client_as):
    agreement = agreement_in_force(agency=city.agency, schools=[city.school_a], actor=city.bai)
    response = client_as(city.bai).post(reverse("partners:agreement_terminate", args=[agreement.pk]), {"reason": ""})
    assert response.status_code == 400
    agreement.refresh_from_db()
    assert agreement.state == "active"


def test_an_agreement_in_force_is_not_edited(city, client_as):
    agreement = agreement_in_force(agency=city.agency, schools=[city.school_a], actor=city.bai)
    response = client_as(city.bai).post(reverse("partners:agreement_edit", args=[agreement.pk]),
                                        _agreement_post(city, schools=[city.school_b.pk]))
    assert response.status_code == 302
    assert list(agreement.schools.all()) == [city.school_a]


def test_the_bureau_sees_coverage_and_the_expiring_soon_list(city, client_as):
    today = timezone.localdate()
    agreement_in_force(agency=city.agency, schools=[city.school_a], actor=city.bai, title="快到期的协议",
                       ends_on=today + 30 * DAY)
    agreement_in_force(agency=city.agency, schools=[city.school_b], actor=city.bai, title="还早的协议",
                       ends_on=today + 300 * DAY)
    client = client_as(city.xin)
    expiring = client.get(reverse("partners:expiring")).content.decode()
    assert "快到期的协议" in expiring and "还早的协议" not in expiring
    listing = client.get(reverse("partners:agreements"))
    assert listing.context["coverage"] == [(city.agency.name, 2)] and listing.context["expiring"] == 1
    assert client_as(city.liu_a).get(reverse("partners:expiring")).status_code == 403


def test_the_bureau_admin_adds_an_agency_and_a_contact(city, client_as):
    client = client_as(city.bai)
    response = client.post(reverse("partners:agency_new"), {
        "name": "明州市妇女联合会", "kind": "womens_federation", "region": city.region.pk, "address": "市府路 8 号",
        "phone": "12338"})
    assert response.status_code == 302
    agency = city.region.agencies.get(name="明州市妇女联合会")
    response = client.post(reverse("partners:contact_new", args=[agency.pk]),
                           {"name": "孙部长", "post": "家庭和儿童工作部部长", "phone": "13800001234", "is_primary": "on"})
    assert response.status_code == 302 and agency.contacts.get().is_primary
    bad = client.post(reverse("partners:contact_new", args=[agency.pk]), {"name": "", "phone": ""})
    assert bad.status_code == 400 and agency.contacts.count() == 1


def _partner_destinations(user) -> set[str]:
    return {d.url_name for d in DESTINATIONS if d.allowed(user) and d.url_name.startswith("partners:")}


def test_each_home_shows_the_partner_pages_its_role_may_use(city):
    both = {"partners:agencies", "partners:agreements"}
    for user in (city.bai, city.xin, city.fen, city.du):
        assert _partner_destinations(user) == both | {"partners:expiring"}
    for user in (city.song_a, city.liu_a):
        assert _partner_destinations(user) == both
    assert _partner_destinations(city.yi) == {"partners:agreements"}
    for user in (city.zhang_a1, city.gao_a, city.chen_user, city.chen_ma_user, city.re, city.ying, city.lin_user):
        assert _partner_destinations(user) == set()
