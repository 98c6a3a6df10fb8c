import pytest

from xinshao.campaigns.services import TargetChoice
from xinshao.campaigns.tests.staff_support import make_campaign
from xinshao.partners.tests.support import agreement_in_force


@pytest.fixture(autouse=True)
def _service_agreement(request):
    """The city's agency has a service agreement with both schools (as in cases/tests)."""
    if "city" in request.fixturenames:
        city = request.getfixturevalue("city")
        agreement_in_force(agency=city.agency, schools=[city.school_a, city.school_b], actor=city.bai)


@pytest.fixture
def opt_in(city):
    """School A's opt-in screening of grade J1 (Chen's class), open now."""
    from xinshao.campaigns.models import Campaign

    return make_campaign(city, created_by=city.liu_a, school=city.school_a, consent_rule=Campaign.ConsentRule.OPT_IN,
                         targets=[TargetChoice(school=city.school_a, level="J1")])
