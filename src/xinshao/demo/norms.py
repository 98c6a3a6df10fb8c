"""Local norms for the demo city (norms/): computed by the bureau admin from the term's screening
results, as they would be at the end of a screening window. The demo's screening is one class,
so every grade × gender group is too small to publish: the tables show the instruments'
reliability in that sample and say which groups were withheld. Only the symptom scales: ASQ is
a screen (any "yes" counts), for which percentiles and alpha say nothing useful."""
import datetime

from xinshao.accounts.models import RoleAssignment
from xinshao.accounts.roles import Role
from xinshao.access.scopes import region_subtree_ids
from xinshao.norms.models import NormTable
from xinshao.norms.selectors import sampled_instruments
from xinshao.norms.services import norm_table_compute
from xinshao.org.models import Region, Term


SCALES = ("phqa", "gad7")


def seed_norms(city: Region, now: datetime.datetime) -> list[NormTable]:
    term = Term.objects.filter(starts_on__lte=now.date()).order_by("-starts_on").first()
    admin = RoleAssignment.objects.filter(role=Role.BUREAU_ADMIN, region=city).select_related("user").first()
    if term is None or admin is None:
        return []
    answered = {instrument_id: version
                for instrument_id, version, _n in sampled_instruments(region_subtree_ids({city.pk}), term)}
    return [norm_table_compute(region=city, term=term, instrument_id=instrument_id, version=answered[instrument_id],
                               actor=admin.user, now=now)
            for instrument_id in SCALES if instrument_id in answered]
