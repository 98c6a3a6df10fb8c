"""Referral's services: the consent rule, sending, every allowed and forbidden change of state,
who may make each change, the diagnosis-summary rule, notifications, audit, and lateness."""
import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from xinshao.audit.models import AuditEntry
from xinshao.cases.referrals import services as referrals
from xinshao.cases.models import Case, CaseEvent, Referral, ReferralConsent
from xinshao.cases.referrals.selectors import overdue_referral_exists, referrals_overdue
from xinshao.cases.services import case_change_state
from xinshao.cases.tests.referral_support import (
    REASON,
    clinician_of,
    consent,
    day,
    open_case,
    referral_in,
    second_agency,
    sent,
)
from xinshao.notifications.models import Notification

pytestmark = pytest.mark.django_db
R = Referral.State
HOUR, DAY = datetime.timedelta(hours=1), datetime.timedelta(days=1)

# Written out from the issue, not read from the code: sent → accepted / declined → seen →
# feedback received → done, and nothing else.
ALLOWED = {(R.SENT, R.ACCEPTED), (R.SENT, R.DECLINED), (R.ACCEPTED, R.SEEN), (R.SEEN, R.FEEDBACK_RECEIVED),
           (R.FEEDBACK_RECEIVED, R.DONE)}
TARGETS = [R.ACCEPTED, R.DECLINED, R.SEEN, R.FEEDBACK_RECEIVED, R.DONE]


def _move(referral: Referral, to_state: str, city):
    """Ask for one change the way its side would ask for it."""
    clinician = clinician_of(referral)
    if to_state == R.ACCEPTED:
        return referrals.referral_accept(referral=referral, actor=clinician)
    if to_state == R.DECLINED:
        return referrals.referral_decline(referral=referral, actor=clinician, reason="床位已满，无法接收")
    if to_state == R.SEEN:
        return referrals.referral_seen(referral=referral, actor=clinician, seen_on=day())
    if to_state == R.FEEDBACK_RECEIVED:
        return referrals.referral_feedback(referral=referral, actor=clinician, recommendations="建议每周随访一次")
    return referrals.referral_done(referral=referral, actor=city.liu_a)


def _events(case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))


def _subjects(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("subject", flat=True))


# --- every change of state ------------------------------------------------------------------

@pytest.mark.parametrize("from_state,to_state", list(itertools.product(list(R), TARGETS)),
                         ids=lambda s: str(s))
def test_each_change_of_state_is_allowed_only_from_the_right_state(city, from_state, to_state):
    referral = referral_in(city, from_state)
    events_before = _events(referral.case)
    if (from_state, to_state) in ALLOWED:
        _move(referral, to_state, city)
        referral.refresh_from_db()
        assert referral.state == to_state
        assert _events(referral.case)[len(events_before):] == [{
            R.ACCEPTED: "referral_accepted", R.DECLINED: "referral_declined", R.SEEN: "referral_seen",
            R.FEEDBACK_RECEIVED: "referral_feedback", R.DONE: "referral_done"}[to_state]]
    else:
        with pytest.raises(ValidationError, match="不能改为"):
            _move(referral, to_state, city)
        referral.refresh_from_db()
        assert referral.state == from_state and _events(referral.case) == events_before


def test_the_transition_table_says_what_the_issue_says(city):
    table = {(a, b) for a, targets in referrals.REFERRAL_TRANSITIONS.items() for b in targets}
    assert table == ALLOWED
    assert set(referrals.REFERRAL_TRANSITIONS) == set(R)


def _answer_as(actor, referral: Referral, to_state: str):
    answers = {
        R.ACCEPTED: lambda: referrals.referral_accept(referral=referral, actor=actor),
        R.DECLINED: lambda: referrals.referral_decline(referral=referral, actor=actor, reason="不是本机构的转介"),
        R.SEEN: lambda: referrals.referral_seen(referral=referral, actor=actor, seen_on=day()),
        R.FEEDBACK_RECEIVED: lambda: referrals.referral_feedback(referral=referral, actor=actor,
                                                                 recommendations="随便写写的建议"),
    }
    return answers[to_state]()


@pytest.mark.parametrize("to_state", [R.ACCEPTED, R.DECLINED, R.SEEN, R.FEEDBACK_RECEIVED])
def test_only_the_receiving_agency_answers_a_referral(city, to_state):
    ready = {R.ACCEPTED: R.SENT, R.DECLINED: R.SENT, R.SEEN: R.ACCEPTED, R.FEEDBACK_RECEIVED: R.SEEN}[to_state]
    referral = referral_in(city, ready)
    _hospital, ma = second_agency(city)
    for stranger in (ma, city.liu_a, city.wang_b, city.xin, city.song_a, city.chen_ma_user):
        with pytest.raises(ValidationError, match="只有接收这项转介的机构"):
            _answer_as(stranger, referral, to_state)
    referral.refresh_from_db()
    assert referral.state == ready


def test_only_the_schools_psych_teachers_mark_a_referral_done(city):
    referral = referral_in(city, R.FEEDBACK_RECEIVED)
    for stranger in (city.yi, city.wang_b, city.song_a, city.zhang_a1, city.xin):
        with pytest.raises(ValidationError, match="只有本校的心理教师"):
            referrals.referral_done(referral=referral, actor=stranger)
    referral.refresh_from_db()
    assert referral.state == R.FEEDBACK_RECEIVED


# --- consent --------------------------------------------------------------------------------

def test_consent_is_recorded_with_who_how_when_and_what_it_covers(city):
    case = open_case(city)
    given = referrals.consent_record(case=case, actor=city.liu_a, agency=city.agency, guardian=city.chen_ma,
                                     given_by="", relation="", method=ReferralConsent.Method.PHONE_RECORDED,
                                     given_on=day(-1), shares_diagnosis=True)
    assert (given.given_by, given.relation, given.agency, given.shares_diagnosis) == ("陈妈妈", "母亲", city.agency, True)
    assert (given.written_by, given.written_at_school) == (city.liu_a, city.school_a)
    assert _events(case)[-1] == "referral_consent_recorded"
    assert AuditEntry.objects.filter(action="cases.referral_consent_recorded", student_id=city.chen.pk).exists()


@pytest.mark.parametrize("change,message", [
    ({"given_by": "", "relation": ""}, "同意人"),
    ({"method": "email"}, "同意的方式"),
    ({"given_on": None}, "同意日期"),
    ({"given_on": "2026-11-01"}, "同意日期"),
    ({"given_on": "tomorrow"}, "不能晚于今天"),
    ({"guardian": "other"}, "监护人中选择"),
    ({"agency": "elsewhere"}, "本市的合作机构"),
])
def test_a_consent_with_a_mistake_is_refused_and_nothing_is_stored(city, change, message):
    case = open_case(city)
    fields = {"agency": city.agency, "given_by": "陈妈妈", "relation": "母亲", "method": "signed_form",
              "given_on": day(), "guardian": None}
    fields.update(change)
    if fields["given_on"] == "tomorrow":
        fields["given_on"] = day(1)
    if fields["guardian"] == "other":
        from xinshao.people.models import Guardian
        fields["guardian"] = Guardian.objects.create(name="别人的家长", phone="13900000000")
    if fields["agency"] == "elsewhere":
        from xinshao.org.models import PartnerAgency, Region
        far = Region.objects.create(code="YZ", name="远州市", kind=Region.Kind.CITY)
        fields["agency"] = PartnerAgency.objects.create(name="远州市精神卫生中心", kind="mental_health_centre",
                                                        region=far)
    with pytest.raises(ValidationError, match=message):
        referrals.consent_record(case=case, actor=city.liu_a, **fields)
    assert not ReferralConsent.objects.exists() and _events(case) == ["opened"]


def test_only_the_schools_psych_teachers_record_consent_and_not_on_a_closed_case(city):
    case = open_case(city)
    for stranger in (city.wang_b, city.yi, city.song_a, city.zhang_a1, city.chen_ma_user):
        with pytest.raises(ValidationError, match="只有本校的心理教师"):
            consent(city, case, actor=stranger)
    Case.objects.filter(pk=case.pk).update(state=Case.State.CLOSED)
    with pytest.raises(ValidationError, match="已经结案"):
        consent(city, case)
    assert not ReferralConsent.objects.exists()


# --- sending: the consent rule --------------------------------------------------------------

def _send(city, case, agency=None, **extra):
    return referrals.referral_send(case=case, actor=city.liu_a, agency=agency or city.agency,
                                   **{"urgency": "red", "reason": REASON, **extra})


def _nothing_sent(city, case) -> None:
    case.refresh_from_db()
    assert not Referral.objects.exists()
    assert "referral_sent" not in _events(case) and case.state == Case.State.ASSESSING
    assert _subjects(city.yi) == []


def test_a_referral_without_any_consent_is_refused_and_nothing_is_stored(city):
    case = open_case(city)
    with pytest.raises(ValidationError, match="还没有监护人同意转介到明州市精神卫生中心的记录"):
        _send(city, case)
    _nothing_sent(city, case)


def test_consent_for_another_agency_does_not_cover_this_one(city):
    hospital, _ma = second_agency(city)
    case = open_case(city)
    consent(city, case, agency=hospital)
    with pytest.raises(ValidationError, match="请先取得监护人的同意"):
        _send(city, case)
    _nothing_sent(city, case)


def test_consent_on_another_students_case_does_not_cover_this_one(city):
    consent(city, open_case(city, student=city.lin))
    case = open_case(city)
    with pytest.raises(ValidationError, match="请先取得监护人的同意"):
        _send(city, case)
    _nothing_sent(city, case)


@pytest.mark.parametrize("extra,message", [
    ({"urgency": "purple"}, "紧急程度"), ({"reason": "  "}, "转介原因"), ({"reason": "x" * 5001}, "太长"),
])
def test_a_referral_with_a_mistake_is_refused_and_nothing_is_stored(city, extra, message):
    case = open_case(city)
    consent(city, case)
    with pytest.raises(ValidationError, match=message):
        _send(city, case, **extra)
    _nothing_sent(city, case)


def test_only_the_schools_psych_teachers_send_and_not_from_a_closed_case(city):
    case = open_case(city)
    consent(city, case)
    for stranger in (city.wang_b, city.yi, city.song_a, city.xin, city.zhang_a1):
        with pytest.raises(ValidationError, match="只有本校的心理教师"):
            referrals.referral_send(case=case, actor=stranger, agency=city.agency, urgency="red", reason=REASON)
    Case.objects.filter(pk=case.pk).update(state=Case.State.CLOSED)
    with pytest.raises(ValidationError, match="已经结案"):
        _send(city, case)
    assert not Referral.objects.exists()


def test_one_open_referral_per_agency_but_another_agency_may_be_asked_too(city):
    hospital, ma = second_agency(city)
    referral = sent(city)
    with pytest.raises(ValidationError, match="正在进行"):
        _send(city, referral.case)
    other = sent(city, referral.case, agency=hospital)
    assert other.agency == hospital and _subjects(ma) == ["新的转介（红色）"]
    referrals.referral_decline(referral=referral, actor=city.yi, reason="本机构暂停接诊")
    assert _send(city, referral.case).state == R.SENT, "after a decline the school may ask again"


@pytest.mark.parametrize("urgency,days", [("red", 1), ("orange", 3), ("yellow", 7)])
def test_the_agency_has_one_three_or_seven_days_to_answer(city, urgency, days):
    now = timezone.now()
    referral = sent(city, urgency=urgency, now=now)
    assert referral.respond_by == now + datetime.timedelta(days=days)
    assert (referral.consent.agency, referral.written_by, referral.written_at_school) == (
        city.agency, city.liu_a, city.school_a)


def test_sending_moves_the_case_to_referred_and_tells_the_agency_without_the_students_name(city):
    _hospital, ma = second_agency(city)
    referral = sent(city)
    case = referral.case
    case.refresh_from_db()
    assert case.state == Case.State.REFERRED
    assert _events(case)[-3:] == ["referral_consent_recorded", "referral_sent", "state_changed"]
    note = Notification.objects.get(recipient=city.yi)
    assert note.subject == "新的转介（红色）" and note.urgent and note.link == f"/agency/{referral.pk}/"
    assert "陈小雨" not in note.subject + note.body and "东湖中学" in note.body
    assert _subjects(ma) == [] and _subjects(city.wang_b) == []
    assert AuditEntry.objects.filter(action="cases.referral_sent", student_id=city.chen.pk,
                                     actor_label="liu_a").exists()


def test_a_case_already_referred_stays_referred_and_an_intervening_one_becomes_referred(city):
    hospital, _ma = second_agency(city)
    case = open_case(city)
    case_change_state(case=case, to_state=Case.State.INTERVENING, actor=city.liu_a, reason="开始辅导")
    sent(city, case)
    case.refresh_from_db()
    assert case.state == Case.State.REFERRED
    sent(city, case, agency=hospital)
    case.refresh_from_db()
    assert case.state == Case.State.REFERRED and _events(case).count("state_changed") == 2


def test_a_yellow_referral_is_not_urgent(city):
    sent(city, urgency="yellow")
    assert not Notification.objects.get(recipient=city.yi).urgent


# --- the agency's answers -------------------------------------------------------------------

def test_each_answer_tells_the_case_owner_and_is_audited(city):
    referral = referral_in(city, R.FEEDBACK_RECEIVED)
    assert _subjects(city.liu_a) == ["转介已被机构接收", "学生已到转介机构就诊", "转介机构发来了反馈"]
    notes = Notification.objects.filter(recipient=city.liu_a)
    assert {n.link for n in notes} == {f"/cases/{referral.case_id}/"}
    assert all("陈小雨" not in n.subject + n.body for n in notes)
    for action in ("referral_accepted", "referral_seen", "referral_feedback"):
        assert AuditEntry.objects.filter(action=f"cases.{action}", student_id=city.chen.pk, actor_label="yi").exists()
    referrals.referral_done(referral=referral, actor=city.liu_a)
    assert _subjects(city.yi)[-1] == "转介已完成"
    assert AuditEntry.objects.filter(action="cases.referral_done", actor_label="liu_a").exists()


def test_a_decline_needs_a_reason_and_tells_the_owner_urgently(city):
    referral = referral_in(city, R.SENT)
    with pytest.raises(ValidationError, match="不能接收的原因"):
        referrals.referral_decline(referral=referral, actor=city.yi, reason=" ")
    referral.refresh_from_db()
    assert referral.state == R.SENT and referral.decline_reason == "" and _subjects(city.liu_a) == []
    referrals.referral_decline(referral=referral, actor=city.yi, reason="本机构儿童门诊暂停接诊")
    referral.refresh_from_db()
    assert (referral.state, referral.decline_reason, referral.answered_by) == (R.DECLINED, "本机构儿童门诊暂停接诊",
                                                                               city.yi)
    note = Notification.objects.get(recipient=city.liu_a)
    assert note.subject == "转介未被机构接收，请另行安排" and note.urgent


@pytest.mark.parametrize("seen_on,message", [(None, "就诊日期"), ("tomorrow", "不能晚于今天"),
                                             ("before", "不能早于转介发出的日期")])
def test_a_visit_date_must_be_real(city, seen_on, message):
    referral = referral_in(city, R.ACCEPTED)
    seen_on = {"tomorrow": day(1), "before": day(-3)}.get(seen_on, seen_on)
    with pytest.raises(ValidationError, match=message):
        referrals.referral_seen(referral=referral, actor=city.yi, seen_on=seen_on)
    referral.refresh_from_db()
    assert referral.state == R.ACCEPTED and referral.seen_on is None


def test_a_diagnosis_summary_is_refused_without_consent_to_share_it(city):
    referral = referral_in(city, R.SEEN, shares=False)
    with pytest.raises(ValidationError, match="监护人没有同意把诊断摘要反馈给学校"):
        referrals.referral_feedback(referral=referral, actor=city.yi, diagnosis_summary="重度抑郁发作",
                                    recommendations="建议每周随访一次")
    referral.refresh_from_db()
    assert referral.state == R.SEEN and referral.diagnosis_summary == "" and referral.recommendations == ""
    assert "referral_feedback" not in _events(referral.case)
    referrals.referral_feedback(referral=referral, actor=city.yi, recommendations="建议每周随访一次")
    referral.refresh_from_db()
    assert referral.state == R.FEEDBACK_RECEIVED and referral.diagnosis_summary == ""


def test_a_diagnosis_summary_is_kept_when_the_guardian_agreed(city):
    referral = referral_in(city, R.SEEN, shares=True)
    referrals.referral_feedback(referral=referral, actor=city.yi, diagnosis_summary="中度抑郁发作",
                                recommendations="建议每周随访一次", return_to_school="可以正常返校")
    referral.refresh_from_db()
    assert (referral.diagnosis_summary, referral.recommendations, referral.return_to_school) == (
        "中度抑郁发作", "建议每周随访一次", "可以正常返校")
    event = referral.case.events.get(kind="referral_feedback")
    assert "中度抑郁" not in str(event.detail) + event.reason, "the event says what happened, not what was written"


def test_feedback_needs_recommendations(city):
    referral = referral_in(city, R.SEEN)
    with pytest.raises(ValidationError, match="给学校的建议"):
        referrals.referral_feedback(referral=referral, actor=city.yi, recommendations="")
    referral.refresh_from_db()
    assert referral.state == R.SEEN


# --- lateness -------------------------------------------------------------------------------

def test_a_referral_not_answered_by_its_deadline_is_overdue(city):
    now = timezone.now()
    referral = sent(city, now=now)
    assert list(referrals_overdue(now + 23 * HOUR)) == []
    assert list(referrals_overdue(now + 25 * HOUR)) == [referral]
    referrals.referral_accept(referral=referral, actor=city.yi, now=now + 26 * HOUR)
    assert list(referrals_overdue(now + 27 * HOUR)) == []


@pytest.mark.parametrize("state", [R.ACCEPTED, R.SEEN])
def test_an_accepted_referral_without_feedback_after_thirty_days_is_overdue(city, state):
    referral = referral_in(city, state)
    accepted = Referral.objects.get(pk=referral.pk).answered_at
    assert list(referrals_overdue(accepted + 29 * DAY)) == []
    assert list(referrals_overdue(accepted + 31 * DAY)) == [referral]


@pytest.mark.parametrize("state", [R.DECLINED, R.FEEDBACK_RECEIVED, R.DONE])
def test_an_answered_or_finished_referral_is_never_overdue(city, state):
    referral_in(city, state)
    assert list(referrals_overdue(timezone.now() + 400 * DAY)) == []


def test_a_case_list_can_flag_cases_with_an_overdue_referral(city):
    now = timezone.now()
    late = sent(city, now=now)
    on_time = sent(city, open_case(city, student=city.lin), urgency="yellow", now=now)
    flags = dict(Case.objects.annotate(late=overdue_referral_exists(now + 2 * DAY)).values_list("pk", "late"))
    assert flags == {late.case_id: True, on_time.case_id: False}
