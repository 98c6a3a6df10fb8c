import pytest

from xinshao.partners.tests.support import agreement_in_force


@pytest.fixture(autouse=True)
def _service_agreement(request):
    """Referrals go only to agencies with a valid service agreement for the school (partners/), so in
    these tests, as in a real city, the city's agency has one with both schools. (The referral check
    itself is tested in partners/tests/test_referral_check.py.)"""
    if "city" not in request.fixturenames:
        return
    city = request.getfixturevalue("city")
    agreement_in_force(agency=city.agency, schools=[city.school_a, city.school_b], actor=city.bai)
