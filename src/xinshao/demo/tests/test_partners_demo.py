"""The demo city's partner agencies and agreements (demo/partners.py): the bureau's figure of 16
schools under an agreement with the mental health centre, one ending soon, one ended."""
import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from xinshao.cases.models import Referral
from xinshao.org.models import PartnerAgency, School
from xinshao.partners.models import ServiceAgreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--schools", "20", "--students", "1000", stdout=io.StringIO())


def test_the_demo_city_has_its_agencies_each_with_one_primary_contact(demo):
    kinds = set(PartnerAgency.objects.values_list("kind", flat=True))
    assert {"mental_health_centre", "hospital", "police", "civil_affairs", "womens_federation", "youth_league",
            "community_office"} <= kinds
    assert PartnerAgency.objects.filter(kind="hospital").count() >= 2
    for agency in PartnerAgency.objects.all():
        assert agency.contacts.filter(is_primary=True).count() == 1 and agency.phone and agency.address


def test_sixteen_schools_have_a_valid_agreement_with_the_centre_one_ends_soon_one_has_ended(demo):
    today = timezone.localdate()
    centre = PartnerAgency.objects.get(kind="mental_health_centre")
    valid = ServiceAgreement.objects.filter(agency=centre, state="active", starts_on__lte=today, ends_on__gte=today)
    covered = School.objects.filter(service_agreements__in=valid).distinct()
    assert covered.count() == 16
    assert {"S001", "S002"} <= set(covered.values_list("code", flat=True))
    assert valid.filter(ends_on__lte=today + datetime.timedelta(days=60)).count() == 1
    assert ServiceAgreement.objects.filter(agency=centre, state="ended").count() == 1
    assert ServiceAgreement.objects.filter(state="draft").count() == 1
    # The early-warning example's referral went to the centre under S001's agreement, no reason needed
    # (the other, demo/consent.py's emergency referral without consent, went to the children's hospital).
    referral = Referral.objects.get(consent_override__isnull=True)
    assert referral.agency == centre and referral.without_agreement_reason == ""
