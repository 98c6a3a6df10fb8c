"""Reads for the agency portal: the referrals to the clinician's own agency.

What an agency may read of a referral is gathered in one place, `shared_with_agency`: the
portal's templates get that and never the case, so nothing else of the case (sessions, notes,
signals, the safety plan) can slip onto an agency's page.
"""
import datetime
from dataclasses import dataclass

from django.db.models import Case as Conditional
from django.db.models import QuerySet, When
from django.utils import timezone

from xinshao.access import scopes
from xinshao.campaigns.rules import age_on
from xinshao.cases.models import Referral
from xinshao.cases.referrals.selectors import feedback_due, is_overdue, with_overdue_flag

R = Referral.State
PORTAL_ORDER = {R.SENT: 0, R.ACCEPTED: 1, R.SEEN: 2, R.FEEDBACK_RECEIVED: 3, R.DONE: 4, R.DECLINED: 5}



def portal_referrals(user, now) -> QuerySet[Referral]:
    """The referrals to the user's agency: waiting for an answer first, then the rest."""
    urgency = Conditional(When(urgency="red", then=0), When(urgency="orange", then=1), default=2)
    stage = Conditional(*[When(state=state, then=rank) for state, rank in PORTAL_ORDER.items()], default=9)
    return with_overdue_flag(scopes.referrals_visible_to(user), now).order_by(stage, urgency, "respond_by", "-id")


def portal_referral(user, referral_id: int) -> Referral | None:
    return scopes.referrals_visible_to(user).filter(pk=referral_id).first()


@dataclass(frozen=True)
class PortalRow:
    """One line of the portal's list: no name, nothing about the student, so a list is not a read."""
    pk: int
    school: str
    sent_at: datetime.datetime
    urgency: str
    urgency_label: str
    state_label: str
    respond_by: datetime.datetime
    waiting_for_answer: bool
    overdue: bool


def portal_row(referral: Referral) -> PortalRow:
    return PortalRow(pk=referral.pk, school=referral.case.school.name, sent_at=referral.written_at,
                     urgency=referral.urgency, urgency_label=referral.get_urgency_display(),
                     state_label=referral.get_state_display(), respond_by=referral.respond_by,
                     waiting_for_answer=referral.state == R.SENT, overdue=referral.is_overdue)


@dataclass(frozen=True)
class SharedConsent:
    relation: str
    method: str
    given_on: datetime.date
    agency: str
    shares_diagnosis: bool
    withdrawn_at: datetime.datetime | None = None


@dataclass(frozen=True)
class SharedReferral:
    """Everything an agency may read of one referral, and nothing more."""
    pk: int
    state: str
    state_label: str
    urgency: str
    urgency_label: str
    sent_at: datetime.datetime
    respond_by: datetime.datetime
    feedback_due: datetime.datetime | None
    overdue: bool
    school: str
    student_name: str
    gender: str
    age: int
    reason: str
    consent: SharedConsent | None  # None: an emergency referral sent without consent
    # what the agency itself has written
    answered_at: datetime.datetime | None
    decline_reason: str
    seen_on: datetime.date | None
    diagnosis_summary: str
    recommendations: str
    return_to_school: str
    feedback_at: datetime.datetime | None
    done_at: datetime.datetime | None


def shared_with_agency(referral: Referral, now) -> SharedReferral:
    student, consent = referral.case.student, referral.consent
    return SharedReferral(
        pk=referral.pk, state=referral.state, state_label=referral.get_state_display(), urgency=referral.urgency,
        urgency_label=referral.get_urgency_display(), sent_at=referral.written_at, respond_by=referral.respond_by,
        feedback_due=feedback_due(referral), overdue=is_overdue(referral, now), school=referral.case.school.name,
        student_name=student.name, gender=student.get_gender_display(),
        age=age_on(student.birth_date, timezone.localdate(now)), reason=referral.reason,
        consent=SharedConsent(relation=consent.relation, method=consent.get_method_display(),
                              given_on=consent.given_on, agency=referral.agency.name,
                              shares_diagnosis=referral.may_share_diagnosis,
                              withdrawn_at=consent.withdrawn_at) if consent else None,
        answered_at=referral.answered_at, decline_reason=referral.decline_reason, seen_on=referral.seen_on,
        diagnosis_summary=referral.diagnosis_summary, recommendations=referral.recommendations,
        return_to_school=referral.return_to_school, feedback_at=referral.feedback_at, done_at=referral.done_at,
    )
