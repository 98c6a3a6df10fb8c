"""Reads for consent: one student's consents for every purpose, with state and history."""
from dataclasses import dataclass

from django.db.models import F, Q

from xinshao.access import scopes
from xinshao.campaigns.models import Campaign, ConsentRecord
from xinshao.campaigns.rules import consent_allows
from xinshao.campaigns.selectors import campaigns_asking_consent_for
from xinshao.cases.models import Case, ConsentOverride, ReferralConsent, ReferralConsentRequest


@dataclass(frozen=True)
class ScreeningConsent:
    campaign: Campaign
    taking_part: bool
    records: list[ConsentRecord]  # newest first: the first one counts


@dataclass(frozen=True)
class ReferralSide:
    consents: list[ReferralConsent]           # newest first, withdrawn ones too
    requests: list[ReferralConsentRequest]    # the school's online requests, newest first
    overrides: list[ConsentOverride]          # emergency referrals sent without consent


def screening_consents(student) -> list[ScreeningConsent]:
    """Every student campaign that asks this student's guardian: those still to come or running,
    and any decided before (closed ones too)."""
    campaigns = list(
        Campaign.objects.filter(Q(pk__in=campaigns_asking_consent_for(student).values("pk"))
                                | Q(pk__in=ConsentRecord.objects.filter(student=student).values("campaign_id")))
        .exclude(consent_rule=Campaign.ConsentRule.NOT_REQUIRED).order_by("-opens_at", "id"))
    history: dict[int, list[ConsentRecord]] = {c.pk: [] for c in campaigns}
    for record in (ConsentRecord.objects.filter(student=student, campaign__in=campaigns)
                   .select_related("recorded_by").order_by("-recorded_at", "-id")):
        history[record.campaign_id].append(record)
    return [ScreeningConsent(c, consent_allows(c, history[c.pk][0].decision if history[c.pk] else None),
                             history[c.pk]) for c in campaigns]


def referral_side(user, student) -> ReferralSide | None:
    """The referral consents of the student's cases this user may see: a guardian all of their
    child's, staff those of cases they may open; None when there is none they may see."""
    if scopes.guardian_children(user).filter(pk=student.pk).exists():
        cases = Case.objects.filter(student=student)
    else:
        cases = scopes.cases_visible_to(user).filter(student=student)
    if not cases.exists():
        return None
    return ReferralSide(
        consents=list(ReferralConsent.objects.filter(case__in=cases).select_related("agency", "written_by", "case")
                      .order_by("-given_on", "-id")),
        requests=list(ReferralConsentRequest.objects.filter(case__in=cases).select_related("agency", "written_by")
                      .order_by("-written_at", "-id")),
        overrides=list(ConsentOverride.objects.filter(referral__case__in=cases)
                       .select_related("referral__agency", "referral__written_by", "reviewed_by")
                       .order_by("-referral__written_at")),
    )


def overrides_for_review(user):
    """The review list: those not yet reviewed first, then the newest reviews."""
    return scopes.consent_overrides_visible_to(user).order_by(
        F("reviewed_at").desc(nulls_first=True), "-referral__written_at", "-id")
