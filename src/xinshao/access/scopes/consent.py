"""Consent (docs/consent.md): whose consent overview a user may read, which referral consents
they may withdraw, which online requests a guardian answers, and who reviews emergency overrides."""
from django.db.models import Q, QuerySet

from xinshao.accounts.roles import Role
from xinshao.people.models import Student

from .base import _SELF_ROLES, _bureau_region_ids, _ids
from .cases import cases_manageable_by
from .people import guardian_children, students_visible_to


def students_consent_visible_to(user) -> QuerySet[Student]:
    """Students whose consent overview (every purpose, its state and history) this user may read:
    staff who may see the student, and a guardian for their own child; not the student themself."""
    return students_visible_to(user).exclude(id__in=_ids(user, _SELF_ROLES, "student"))


def is_own_student(user, student) -> bool:
    """The student themself (who is never shown the consent overview)."""
    return student.pk in _ids(user, _SELF_ROLES, "student")


def referral_consents_withdrawable_by(user):
    """Referral consents this user may withdraw: a guardian's for their own child (online), the
    case's psych teachers' (recording what the guardian said)."""
    from xinshao.cases.models import ReferralConsent

    return ReferralConsent.objects.filter(
        Q(case__in=cases_manageable_by(user)) | Q(case__student__in=guardian_children(user))
    ).select_related("case__student", "case__school", "agency")


def can_withdraw_as_guardian(user, consent) -> bool:
    return guardian_children(user).filter(pk=consent.case.student_id).exists()


def referral_consent_requests_for_guardian(user):
    """The school's online requests for referral consent about this guardian's children."""
    from xinshao.cases.models import ReferralConsentRequest

    return ReferralConsentRequest.objects.filter(case__student__in=guardian_children(user)).select_related(
        "case__student", "case__school", "agency", "written_by")


def consent_overrides_visible_to(user):
    """Emergency referrals sent without consent, for review: the bureau psych centre of the region."""
    from xinshao.cases.models import ConsentOverride

    regions = _bureau_region_ids(user, {Role.BUREAU_PSYCH_CENTRE})
    return ConsentOverride.objects.filter(referral__case__school__district_id__in=regions).select_related(
        "referral__case__student", "referral__case__school", "referral__agency", "referral__written_by",
        "reviewed_by")


def can_review_consent_overrides(user) -> bool:
    return bool(_bureau_region_ids(user, {Role.BUREAU_PSYCH_CENTRE}))
