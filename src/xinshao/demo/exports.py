"""Demo exports: the screening school's psych teacher has exported the school's roster and the
screening's completion, so 我的导出 has finished files to download (they expire after a day)."""
import datetime
import random

from xinshao.campaigns.models import Campaign
from xinshao.exports.models import ExportJob
from xinshao.exports.services import export_request
from xinshao.org.models import Region


def seed_exports(city: Region, now: datetime.datetime, rng: random.Random) -> list[ExportJob]:
    campaign = (Campaign.objects.filter(audience=Campaign.Audience.STUDENTS, school__district__parent=city)
                .order_by("id").first())
    if campaign is None:
        return []
    psych = campaign.created_by
    return [export_request(user=psych, kind_name=kind, file_format="xlsx", params=params, origin="http://localhost/")
            for kind, params in [("roster", {}), ("completion", {"campaign": str(campaign.pk)})]]
