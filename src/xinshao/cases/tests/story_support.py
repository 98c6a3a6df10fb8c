"""A case with a whole story, written through the services at known times: a committee member's
report raises a red alert, the alert becomes a case, then a session, a safety plan, a guardian
contact, an agreed action, consent, a referral the agency accepts, a follow-up, the action done."""
import datetime

from django.utils import timezone

from xinshao.accounts.models import RoleAssignment, User
from xinshao.accounts.roles import Role
from xinshao.alerts.models import Source
from xinshao.alerts.services import signal_receive
from xinshao.cases.followups import services as followups
from xinshao.cases.intervention import services as intervention
from xinshao.cases.referrals import services as referrals
from xinshao.cases.models import Case, ReferralConsent
from xinshao.cases.services import case_open
from xinshao.testing import PASSWORD

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
NOTES = "谈到家里争吵，最近两周睡眠差，否认具体计划。"


def start(now=None) -> datetime.datetime:
    """A few days ago, on the hour: late enough that every date in the story is still allowed."""
    return (now or timezone.now()).replace(minute=0, second=0, microsecond=0) - 3 * DAY


def story_case(city, t0: datetime.datetime) -> Case:
    alert = signal_receive(student=city.chen, source=Source.COMMITTEE_REPORT, raised_by=city.lin_user,
                           facts={"concerns": ["self_harm_talk"]}, note="他在班上说不想活了", at=t0).alert
    case = case_open(student=city.chen, level="red", reason="心理委员报告自伤言语", actor=city.liu_a, alert=alert,
                     now=t0 + HOUR)
    liu = city.liu_a
    intervention.session_record(case=case, actor=liu, held_at=t0 + 1.5 * HOUR, kind="individual", minutes=50,
                                private_notes=NOTES, now=t0 + 2 * HOUR)
    intervention.safety_plan_save(case=case, actor=liu, warning_signs="整夜睡不着，不想说话",
                                  coping_steps="听音乐，去操场跑步", people_to_contact="妈妈，班主任张老师",
                                  professional_help="心理老师刘老师；心理援助热线", now=t0 + 3 * HOUR)
    intervention.guardian_contact_record(case=case, actor=liu, guardian=city.chen_ma, contacted_at=t0 + 4 * HOUR,
                                         method="phone", what_was_said="妈妈同意带孩子去医院评估",
                                         now=t0 + 4 * HOUR)
    action = intervention.action_agree(case=case, actor=liu, description="课间由班主任多关注", assignee=city.zhang_a1,
                                       due_on=timezone.localdate(t0) + 7 * DAY, now=t0 + 5 * HOUR)
    referrals.consent_record(case=case, actor=liu, agency=city.agency, given_by="陈妈妈", relation="母亲",
                             method=ReferralConsent.Method.SIGNED_FORM, given_on=timezone.localdate(t0),
                             now=t0 + 6 * HOUR)
    referral = referrals.referral_send(case=case, actor=liu, agency=city.agency, urgency="red",
                                       reason="持续低落并有自伤言语，需要专科评估", now=t0 + 7 * HOUR)
    referrals.referral_accept(referral=referral, actor=city.yi, now=t0 + 8 * HOUR)
    followups.followup_plan(case=case, due_on=timezone.localdate(t0) + 7 * DAY, actor=liu, now=t0 + DAY)
    intervention.action_done(action=action, actor=liu, now=t0 + 2 * DAY)
    return Case.objects.get(pk=case.pk)


def psych_colleague_a(city) -> User:
    """A second psych teacher of school A: works on the school's cases, not on this case's team."""
    he = User.objects.create_user(username="he_a", password=PASSWORD, display_name="何心理A")
    RoleAssignment.objects.create(user=he, role=Role.PSYCH_TEACHER, school=city.school_a)
    return he
