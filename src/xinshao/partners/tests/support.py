"""Agreements for tests, made through the services as the bureau admin would: a draft, then in force."""
import datetime

from django.utils import timezone

from xinshao.partners import services
from xinshao.partners.models import Scope, ServiceAgreement

PDF = b"%PDF-1.4\n% a signed agreement for a test\n"


def agreement_in_force(*, agency, schools, actor, starts_on=None, ends_on=None, title="心理服务协议",
                       now=None) -> ServiceAgreement:
    """An active agreement covering `schools`, from a month ago (or `starts_on`) for a year (or to `ends_on`)."""
    today = timezone.localdate(now or timezone.now())
    starts_on = starts_on or today - datetime.timedelta(days=30)
    agreement = services.agreement_create(
        actor=actor, agency=agency, schools=schools, title=title,
        scope=[Scope.ASSESSMENT, Scope.TREATMENT_REFERRAL, Scope.CRISIS_INTERVENTION], starts_on=starts_on,
        ends_on=ends_on or starts_on + datetime.timedelta(days=365), now=now)
    return services.agreement_activate(agreement=agreement, actor=actor, now=now)
