"""Reads for referral: overdue referrals, a case's referrals and consents, agencies to refer to.
What an agency reads is in cases/portal/selectors.py."""
import datetime

from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models import Case as Conditional
from django.utils import timezone

from xinshao.alerts.selectors import ancestor_region_ids
from xinshao.cases.models import Case, Referral, ReferralConsent
from xinshao.org.models import PartnerAgency

R = Referral.State
# An accepted referral should bring feedback within this many days of acceptance.
FEEDBACK_WITHIN = datetime.timedelta(days=30)


def agencies_for_case(case: Case) -> QuerySet[PartnerAgency]:
    """The partner agencies a case may be referred to: those of the school's city (or above)."""
    return PartnerAgency.objects.filter(region_id__in=ancestor_region_ids(case.school)).order_by("name")


# --- overdue --------------------------------------------------------------------------------

def overdue_q(now) -> Q:
    """Sent and not answered by its deadline, or accepted (or seen) with no feedback 30 days on."""
    return (Q(state=R.SENT, respond_by__lt=now)
            | Q(state__in=[R.ACCEPTED, R.SEEN], answered_at__lt=now - FEEDBACK_WITHIN))


def referrals_overdue(now=None) -> QuerySet[Referral]:
    """Every overdue referral, oldest deadline first (for reminders and the bureau's oversight)."""
    now = now or timezone.now()
    return (Referral.objects.filter(overdue_q(now)).select_related("case__school", "case__owner", "agency")
            .order_by("respond_by", "id"))


def with_overdue_flag(referrals: QuerySet[Referral], now) -> QuerySet[Referral]:
    """The same referrals, each with `is_overdue` for lists."""
    return referrals.annotate(is_overdue=Conditional(When(overdue_q(now), then=Value(True)), default=Value(False),
                                               output_field=BooleanField()))


def overdue_referral_exists(now) -> Exists:
    """For annotating a list of cases: `cases.annotate(referral_overdue=overdue_referral_exists(now))`."""
    return Exists(Referral.objects.filter(overdue_q(now), case=OuterRef("pk")))


def is_overdue(referral: Referral, now) -> bool:
    if referral.state == R.SENT:
        return referral.respond_by < now
    if referral.state in (R.ACCEPTED, R.SEEN):
        return referral.answered_at is not None and referral.answered_at < now - FEEDBACK_WITHIN
    return False


def feedback_due(referral: Referral) -> datetime.datetime | None:
    """When the agency's feedback is due (accepted or seen, waiting for feedback), else None."""
    if referral.state in (R.ACCEPTED, R.SEEN) and referral.answered_at:
        return referral.answered_at + FEEDBACK_WITHIN
    return None


# --- the school side ------------------------------------------------------------------------

def case_referrals(case: Case, now) -> QuerySet[Referral]:
    return with_overdue_flag(case.referrals.select_related("agency", "consent", "written_by", "answered_by"), now
                             ).order_by("-written_at", "-id")


def case_consents(case: Case) -> QuerySet[ReferralConsent]:
    return case.referral_consents.select_related("agency", "written_by").order_by("-given_on", "-id")


def agencies_with_consent(case: Case) -> QuerySet[PartnerAgency]:
    """Agencies the guardian consented to and has not withdrawn from."""
    return agencies_for_case(case).filter(
        id__in=case.referral_consents.filter(withdrawn_at__isnull=True).values("agency_id"))
