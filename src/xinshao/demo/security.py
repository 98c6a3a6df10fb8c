"""Demo security: the city's psych centre has once opened emergency access to one student, so
the bureau's 异常访问报告 (/audit/unusual/) shows a break-glass entry with its reason.

The demo runs embedded, where two-factor sign-in is off by default (XINSHAO_REQUIRE_TOTP):
the printed demo logins work with a password alone, and any user may enrol from 我的账号."""
import datetime
import random

from xinshao.accounts.models import BreakGlassGrant, User
from xinshao.accounts.services import break_glass_open
from xinshao.org.models import Region
from xinshao.people.models import Student


def seed_security(city: Region, now: datetime.datetime, rng: random.Random) -> list[BreakGlassGrant]:
    psych_centre = User.objects.filter(username="psych.centre").first()
    students = list(Student.objects.filter(school__district__parent=city).order_by("id")[:50])
    if psych_centre is None or not students:
        return []
    return [break_glass_open(user=psych_centre, student=rng.choice(students), now=now - datetime.timedelta(hours=2),
                             reason="热线来电反映该生深夜在网上表达轻生念头，需立即查看既往测评与个案情况以安排干预。")]
