from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from xinshao.access.scopes import region_subtree_ids
from xinshao.norms import selectors
from xinshao.norms.services import norm_table_compute
from xinshao.org.models import Region, Term


class Command(BaseCommand):
    help = (
        "Compute local norms from one term's valid results: for each instrument answered that term (or the one "
        "given), percentile ranks of the total by grade and gender, from each student's latest valid result, "
        "and the reliability of the total (Cronbach's alpha and corrected item-total correlations, from the "
        "responses with every item answered). A group with fewer than NORMS_MIN_GROUP students (default 30) "
        "is listed with its size and no percentiles. Each run adds a new table; earlier ones are kept. "
        "Exit status 2: unknown term or instrument, or nothing to compute from."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", metavar="CODE",
                            help="the city or district whose students make up the sample, e.g. MZ (default: the city)")
        parser.add_argument("--term", required=True, help="the term's name, e.g. 2026-2027学年第一学期")
        parser.add_argument("--instrument", metavar="ID", help="one instrument, e.g. phqa (default: every one answered)")
        parser.add_argument("--language", choices=["zh-hans", "en"], default="zh-hans",
                            help="language of the report (default zh-hans)")

    def handle(self, *args, region, term, instrument, language, **options):
        with translation.override(language):
            regions = Region.objects.filter(code=region) if region else Region.objects.filter(kind=Region.Kind.CITY)
            place = regions.order_by("code").first()
            if place is None:
                raise CommandError(_("没有代码为 %(code)s 的区域。") % {"code": region or "—"}, returncode=2)
            chosen = Term.objects.filter(name=term).first()
            if chosen is None:
                raise CommandError(_("没有名为 %(term)s 的学期。") % {"term": term}, returncode=2)
            answered = [(i, v) for i, v, _n in selectors.sampled_instruments(region_subtree_ids({place.pk}), chosen) if instrument in (None, i)]
            if not answered:
                raise CommandError(_("%(term)s没有可用于计算常模的有效作答。") % {"term": chosen}, returncode=2)
            for instrument_id, version in answered:
                try:
                    table = norm_table_compute(region=place, term=chosen, instrument_id=instrument_id, version=version)
                except ValidationError as error:
                    raise CommandError(" ".join(error.messages), returncode=2) from None
                alpha = "—" if table.alpha is None else f"{table.alpha:.2f}"
                self.stdout.write(_("%(instrument)s %(version)s：%(n)s 人，%(groups)s 个常模组（%(withheld)s 组人数不足未发布），"
                                    "α = %(alpha)s") % {
                    "instrument": instrument_id, "version": version, "n": table.respondents,
                    "groups": len(table.groups), "withheld": len(table.withheld), "alpha": alpha})
