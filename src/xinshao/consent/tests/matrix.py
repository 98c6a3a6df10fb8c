"""Consent objects for the access matrix: per side the case's referral consent, an online request
for consent, and an emergency referral sent without consent (to an agency of its own)."""
import datetime

from django.utils import timezone

from xinshao.access.tests.matrix_objects import Thing
from xinshao.cases.models import Case, ConsentOverride, Referral, ReferralConsentRequest
from xinshao.org.models import PartnerAgency


def matrix_side(city, side, objects):
    a = side == "A"
    psych = city.liu_a if a else city.wang_b
    guardian = frozenset({"chen_ma_user"} if a else set())
    case = Case.objects.get(pk=objects["case_id"].value)
    consent = case.referral_consents.get()
    now = timezone.now()
    written = {"case": case, "written_by": psych, "written_at": now, "written_at_school_id": case.school_id}
    asked = ReferralConsentRequest.objects.create(agency=consent.agency, **written)
    emergency = PartnerAgency.objects.create(name=f"急诊中心{side}", kind="hospital", region=city.region)
    referral = Referral.objects.create(agency=emergency, consent=None, urgency="red", reason="即刻自伤危险",
                                       respond_by=now + datetime.timedelta(days=1), **written)
    override = ConsentOverride.objects.create(referral=referral, reason="学生有即刻的自伤危险，监护人电话一直无人接听。")
    return {
        "referral_consent_id": Thing(consent.pk, guardian),
        "consent_request_id": Thing(asked.pk, guardian),
        "override_id": Thing(override.pk),
    }
