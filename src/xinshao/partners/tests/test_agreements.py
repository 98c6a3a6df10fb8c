"""Agreements and contacts through the services: states and their events, validity by date, the
expiring-soon list, coverage counts, the signed document, the primary contact, and who sees what."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from xinshao.access import scopes
from xinshao.audit.models import AuditEntry
from xinshao.org.models import PartnerAgency, School
from xinshao.partners import selectors, services
from xinshao.partners.models import AgencyContact, AgreementEvent, ServiceAgreement
from xinshao.partners.tests.support import PDF, agreement_in_force

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
A = ServiceAgreement.State


def _kinds(agreement) -> list[str]:
    return list(AgreementEvent.objects.filter(agreement=agreement).order_by("id").values_list("kind", flat=True))


def _draft(city, **changes):
    today = timezone.localdate()
    fields = {"agency": city.agency, "schools": [city.school_a, city.school_b], "title": "心理危机干预服务协议",
              "scope": ["crisis_intervention", "treatment_referral"], "starts_on": today,
              "ends_on": today + 365 * DAY, **changes}
    return services.agreement_create(actor=city.bai, **fields)


def test_an_agreement_goes_draft_active_terminated_with_an_event_and_audit_entry_each(city):
    agreement = _draft(city)
    assert agreement.state == A.DRAFT and set(agreement.schools.all()) == {city.school_a, city.school_b}
    services.agreement_document_add(agreement=agreement, name="协议.pdf", content=PDF, actor=city.bai)
    services.agreement_activate(agreement=agreement, actor=city.bai)
    services.agreement_terminate(agreement=agreement, actor=city.bai, reason="双方协商解除")
    agreement.refresh_from_db()
    assert (agreement.state, agreement.terminated_on, agreement.termination_reason) == \
        (A.TERMINATED, timezone.localdate(), "双方协商解除")
    assert _kinds(agreement) == ["agreement_create", "document_add", "agreement_activate", "agreement_terminate"]
    assert AuditEntry.objects.filter(object_type="partners.serviceagreement", object_id=str(agreement.pk)).count() == 4


@pytest.mark.parametrize("move,state", [
    (lambda a, u: services.agreement_terminate(agreement=a, actor=u, reason="理由"), A.DRAFT),
    (lambda a, u: services.agreement_activate(agreement=a, actor=u), A.ACTIVE),
])
def test_moves_out_of_order_are_refused(city, move, state):
    agreement = _draft(city)
    if state == A.ACTIVE:
        services.agreement_activate(agreement=agreement, actor=city.bai)
    events = len(_kinds(agreement))
    with pytest.raises(ValidationError):
        move(agreement, city.bai)
    assert len(_kinds(agreement)) == events


def test_terminating_needs_a_reason(city):
    agreement = agreement_in_force(agency=city.agency, schools=[city.school_a], actor=city.bai)
    with pytest.raises(ValidationError) as refused:
        services.agreement_terminate(agreement=agreement, actor=city.bai, reason="  ")
    assert "reason" in refused.value.message_dict
    agreement.refresh_from_db()
    assert agreement.state == A.ACTIVE


def test_only_a_draft_is_changed_and_an_agreement_past_its_end_cannot_come_into_force(city):
    today = timezone.localdate()
    agreement = _draft(city, starts_on=today - 100 * DAY, ends_on=today - DAY)
    with pytest.raises(ValidationError):
        services.agreement_activate(agreement=agreement, actor=city.bai)
    services.agreement_update(agreement=agreement, actor=city.bai, agency=city.agency, schools=[city.school_a],
                              title="续签", scope=["assessment"], starts_on=today, ends_on=today + 90 * DAY)
    services.agreement_activate(agreement=agreement, actor=city.bai)
    with pytest.raises(ValidationError):
        services.agreement_update(agreement=agreement, actor=city.bai, agency=city.agency, schools=[city.school_b],
                                  title="改", scope=["assessment"], starts_on=today, ends_on=today + 90 * DAY)
    assert list(agreement.schools.all()) == [city.school_a]


@pytest.mark.parametrize("changes,field", [
    ({"schools": []}, "schools"), ({"scope": []}, "scope"), ({"scope": ["massage"]}, "scope"),
    ({"title": " "}, "title"), ({"ends_on": timezone.localdate() - 400 * DAY}, "ends_on"),
])
def test_a_draft_with_a_mistake_is_refused_next_to_the_field_and_nothing_is_stored(city, changes, field):
    with pytest.raises(ValidationError) as refused:
        _draft(city, **changes)
    assert field in refused.value.message_dict
    assert not ServiceAgreement.objects.exists()


def test_only_the_bureau_admin_writes(city):
    for user in (city.xin, city.du, city.song_a, city.liu_a, city.yi):
        with pytest.raises(ValidationError):
            services.agreement_create(actor=user, agency=city.agency, schools=[city.school_a], title="协议",
                                      scope=["assessment"], starts_on=timezone.localdate(),
                                      ends_on=timezone.localdate() + DAY)
    assert not ServiceAgreement.objects.exists()


def test_the_nightly_job_ends_agreements_past_their_end_once(city):
    today = timezone.localdate()
    past = agreement_in_force(agency=city.agency, schools=[city.school_a], actor=city.bai,
                              starts_on=today - 200 * DAY, ends_on=today - DAY, now=timezone.now() - 10 * DAY)
    current = agreement_in_force(agency=city.agency, schools=[city.school_b], actor=city.bai)
    assert services.agreements_end_expired() == 1
    assert services.agreements_end_expired() == 0
    past.refresh_from_db()
    current.refresh_from_db()
    assert (past.state, current.state) == (A.ENDED, A.ACTIVE)
    assert _kinds(past)[-1] == "agreement_end"


def test_validity_expiring_soon_and_coverage_are_counted_from_the_dates(city):
    today = timezone.localdate()
    schools = [city.school_a, city.school_b]
    extra = [School.objects.create(code=f"C{n:03}", name=f"第{n}中学", kind="junior", district=city.district_a)
             for n in range(3)]
    soon = agreement_in_force(agency=city.agency, schools=[city.school_a, *extra], actor=city.bai,
                              ends_on=today + 20 * DAY)
    later = agreement_in_force(agency=city.agency, schools=schools, actor=city.bai, ends_on=today + 200 * DAY)
    hospital = PartnerAgency.objects.create(name="明州市儿童医院", kind="hospital", region=city.region)
    agreement_in_force(agency=hospital, schools=[city.school_b], actor=city.bai, ends_on=today + 59 * DAY)
    services.agreement_terminate(
        agreement=agreement_in_force(agency=hospital, schools=extra, actor=city.bai), actor=city.bai, reason="停诊")
    every = ServiceAgreement.objects.all()
    assert set(selectors.agreements_expiring(every, today).values_list("agency__name", "ends_on")) == {
        (city.agency.name, today + 20 * DAY), (hospital.name, today + 59 * DAY)}
    # School A is under two agreements with the centre: counted once.
    assert selectors.schools_covered_by_agency(every, today) == [(city.agency.name, 5), (hospital.name, 1)]
    assert selectors.valid_until_by_agency(city.school_a, today) == {city.agency.pk: later.ends_on}
    assert selectors.agreement_covering(school=extra[0], agency=city.agency, today=today) == soon
    assert selectors.agreement_covering(school=extra[0], agency=hospital, today=today) is None
    assert selectors.agreement_covering(school=extra[0], agency=city.agency, today=today + 21 * DAY) is None


def test_a_school_sees_its_own_agreements_a_clinician_their_agencys_the_bureau_all(city):
    a = agreement_in_force(agency=city.agency, schools=[city.school_a], actor=city.bai)
    b = agreement_in_force(agency=city.agency, schools=[city.school_b], actor=city.bai)
    both = agreement_in_force(agency=city.agency, schools=[city.school_a, city.school_b], actor=city.bai)
    hospital = PartnerAgency.objects.create(name="明州市儿童医院", kind="hospital", region=city.region)
    other_agency = agreement_in_force(agency=hospital, schools=[city.school_b], actor=city.bai)
    seen = {user: set(scopes.agreements_visible_to(user)) for user in
            (city.liu_a, city.song_a, city.wang_b, city.yi, city.bai, city.du, city.xin, city.zhang_a1, city.gao_a)}
    assert seen[city.liu_a] == seen[city.song_a] == {a, both}
    assert seen[city.wang_b] == {b, both, other_agency}
    assert seen[city.yi] == {a, b, both}
    assert seen[city.bai] == seen[city.du] == seen[city.xin] == {a, b, both, other_agency}
    assert seen[city.zhang_a1] == seen[city.gao_a] == set()
    assert scopes.agreements_visible_to(city.bai).count() == 4  # each once, whatever the schools


def test_the_primary_contact_is_one_per_agency(city):
    first = services.contact_save(agency=city.agency, actor=city.bai, name="赵医生", phone="0574-1", is_primary=True)
    second = services.contact_save(agency=city.agency, actor=city.bai, name="钱主任", phone="0574-2", is_primary=True)
    first.refresh_from_db()
    assert (first.is_primary, second.is_primary) == (False, True)
    assert AgencyContact.objects.filter(agency=city.agency, is_primary=True).count() == 1


def test_agencies_are_read_by_the_bureau_and_school_staff_and_changed_by_the_bureau_admin(city):
    agency = services.agency_save(actor=city.bai, name="明州市公安局东湖分局", kind="police", region=city.district_a,
                                  address="东湖路 1 号", phone="110")
    for user in (city.bai, city.xin, city.fen, city.du, city.song_a, city.liu_a):
        assert agency in scopes.agencies_visible_to(user)
    # A district's agency is for that district's schools; the city's are for every school.
    for user in (city.song_b, city.wang_b):
        assert set(scopes.agencies_visible_to(user)) == {city.agency}
    for user in (city.zhang_a1, city.gao_a, city.chen_user, city.chen_ma_user, city.yi, city.re, city.ying):
        assert not scopes.agencies_visible_to(user).exists()
    with pytest.raises(ValidationError):
        services.agency_save(actor=city.du, name="新机构", kind="police", region=city.region)
    with pytest.raises(ValidationError) as refused:
        services.agency_save(actor=city.bai, name=city.agency.name, kind="hospital", region=city.region)
    assert "name" in refused.value.message_dict
