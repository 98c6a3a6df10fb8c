import datetime

import pytest
from django.utils import timezone

from xinshao.governance import services
from xinshao.governance.checklist_seed import seed_checklist
from xinshao.governance.models import InspectionPlan, InspectionRound
from xinshao.org.models import School

PDF = b"%PDF-1.4\n% evidence for a test\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded evidence goes to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def inspection_round(city):
    """A round in progress over schools A and B, inspector Du assigned to both."""
    plan = services.plan_create(year=2026, name="2026 年度督查计划", actor=city.bai)
    today = timezone.localdate()
    round_ = services.round_create(
        plan=plan, name="第四轮督查", starts_on=today - datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=30), checklist=seed_checklist(),
        schools=School.objects.filter(pk__in=[city.school_a.pk, city.school_b.pk]), inspectors=[city.du],
        actor=city.bai)
    return services.round_advance(round=round_, to=InspectionRound.State.IN_PROGRESS, actor=city.du)


__all__ = ["PDF", "InspectionPlan"]
