import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from xinshao.workforce import services
from xinshao.workforce.kinds_seed import kinds_seed
from xinshao.workforce.models import CertificateKind, StaffMember, Targets


@pytest.fixture
def kinds(db):
    """C证, B证, A证 as the migration seeds them, by level."""
    c, b, a = kinds_seed(CertificateKind, Targets)
    return {"C": c, "B": b, "A": a}


def staff(school, name, post="psych_teacher", employment="part_time", degree=False, **fields) -> StaffMember:
    return StaffMember.objects.create(school=school, name=name, post=post, employment=employment,
                                      psychology_degree=degree, **fields)


TODAY = datetime.date(2026, 12, 7)


@pytest.fixture
def training(city, kinds):
    """A C证 training of 24 hours and 3 places, ending today."""
    today = timezone.localdate()
    return services.training_create(actor=city.bai, name="C证培训", grants=kinds["C"],
                                    starts_on=today - datetime.timedelta(days=5), ends_on=today, place="市教师发展中心",
                                    capacity=3, hours=Decimal("24"))
