"""Account changes: ending every session of a user, emergency access to one student, the daily
unusual access report to the bureau."""
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from xinshao.access import scopes
from xinshao.accounts.models import BreakGlassGrant, User
from xinshao.accounts.roles import Role
from xinshao.audit.selectors import unusual_readers
from xinshao.audit.services import audit_record
from xinshao.notifications.services import notify
from xinshao.notifications.texts import Text


def sign_out_everywhere(user, *, request=None) -> None:
    """End all of the user's sessions, on every device: their session hash changes (User)."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    audit_record(actor=user, action="accounts.signed_out_everywhere", obj=user, request=request)


def break_glass_open(*, user, student, reason: str, request=None, now=None) -> BreakGlassGrant:
    """Open emergency access for a psych centre user to one student; audited with the reason.
    The caller has checked scopes.can_break_glass(user)."""
    now = now or timezone.now()
    grant = BreakGlassGrant.objects.create(user=user, student=student, reason=reason, granted_at=now,
                                           expires_at=now + timedelta(hours=settings.XINSHAO_BREAK_GLASS_HOURS))
    audit_record(actor=user, action="accounts.break_glass_opened", student=student, obj=grant, request=request,
                 detail={"reason": reason, "expires_at": grant.expires_at.isoformat()})
    return grant


def unusual_access_report(*, now=None) -> int:
    """Tell each bureau admin and psych centre user about yesterday's unusual access in their
    region: people who read more students than XINSHAO_UNUSUAL_ACCESS_STUDENTS, and emergency
    access. Returns how many were told. Run once a day (celery.py)."""
    today = timezone.localdate(now or timezone.now())
    until = timezone.make_aware(datetime.combine(today, time.min))
    since = until - timedelta(days=1)
    readers = User.objects.filter(role_assignments__is_active=True, role_assignments__role__in=[
        Role.BUREAU_ADMIN, Role.BUREAU_PSYCH_CENTRE]).distinct()
    told = 0
    for user in readers:
        students = scopes.students_audit_searchable_by(user)
        flagged = len(unusual_readers(students=students, since=since, until=until,
                                      threshold=settings.XINSHAO_UNUSUAL_ACCESS_STUDENTS))
        grants = BreakGlassGrant.objects.filter(student__in=students, granted_at__gte=since,
                                                granted_at__lt=until).count()
        if flagged or grants:
            notify([user], subject=Text(gettext_noop("昨日异常访问报告")),
                   body=Text(gettext_noop("昨天有 %(flagged)s 人查看的学生过多，%(grants)s 次紧急访问。请查看异常访问报告。"),
                             {"flagged": flagged, "grants": grants}),
                   link=reverse("audit:unusual"), urgent=False, topic="unusual_access")
            told += 1
    return told
