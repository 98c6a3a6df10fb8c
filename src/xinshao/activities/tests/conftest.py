import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from xinshao.activities import services
from xinshao.activities.tests.matrix import PDF, filed_application, other_applicant

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded materials go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def xing(city):
    """The applicant of a second outside body."""
    return other_applicant(city)


def draft(applicant, schools, *, title="心理健康主题讲座", starts_on=None, days=0, now=None):
    starts_on = starts_on or timezone.localdate() + 7 * DAY
    return services.application_save(
        actor=applicant, title=title, kind="lecture", purpose="讲座", schools=schools, starts_on=starts_on,
        ends_on=starts_on + days * DAY, participants=120, teacher_hours=Decimal("1.5"), contact_person="应经理",
        contact_phone="13800000001", now=now)


def submitted(applicant, schools, **kwargs):
    application = draft(applicant, schools, **kwargs)
    services.material_add(application=application, name="方案.pdf", content=PDF, actor=applicant)
    return services.application_submit(application=application, actor=applicant, now=kwargs.get("now"))


def approved(applicant, schools, *, by, **kwargs):
    return services.application_review(application=submitted(applicant, schools, **kwargs), approve=True, actor=by)


__all__ = ["DAY", "PDF", "approved", "draft", "filed_application", "submitted"]
