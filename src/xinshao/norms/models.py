"""Local norm tables: percentiles by grade and gender of an instrument's total, computed from one
term's valid results in a city, with the instrument's reliability in that sample."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinshao.core.models import EventRow
from xinshao.instruments.engine.norms import NormTable as EngineNormTable
from xinshao.org.grades import level_name, level_ordinal


class NormTable(models.Model):
    # The city (or district) whose schools' students make up the sample.
    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, related_name="norm_tables",
                               verbose_name=_("区域"))
    term = models.ForeignKey("org.Term", on_delete=models.PROTECT, related_name="norm_tables", verbose_name=_("学期"))
    instrument_id = models.CharField(_("量表"), max_length=40)
    instrument_version = models.CharField(_("版本"), max_length=20)
    computed_at = models.DateTimeField(_("计算时间"))
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")  # None: the management command
    respondents = models.PositiveIntegerField(_("有效作答人数"))
    # Norm groups in the scoring engine's shape (instruments/engine/norms.py), each large enough to publish.
    groups = models.JSONField(default=list)
    # Groups smaller than settings.NORMS_MIN_GROUP: named with their size, no percentiles.
    withheld = models.JSONField(default=list)
    complete = models.PositiveIntegerField(_("完整作答人数"))  # the sample of the reliability figures
    alpha = models.FloatField(_("Cronbach α 系数"), null=True)
    item_rest = models.JSONField(default=list)  # [{"item": id, "label": {language: text}, "r": corrected item-total r}]
    # Adopted for scoring: results of this instrument and version from the region's students get
    # their percentile from this table (ResultNorm) until it is retired or another is adopted.
    adopted_at = models.DateTimeField(_("采用时间"), null=True, blank=True)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        ordering = ["-computed_at", "-id"]
        verbose_name = _("本地常模")
        verbose_name_plural = _("本地常模")

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.instrument_version} · {self.term}"

    @property
    def in_use(self) -> bool:
        return self.adopted_at is not None and self.retired_at is None

    def engine_table(self) -> EngineNormTable:
        """The table in the scoring engine's shape, which looks a result's percentile up."""
        return EngineNormTable({"instrument": self.instrument_id, "score": "total", "groups": self.groups,
                                "source": f"{self.region} · {self.term} · n = {self.respondents}"})

    def group_rows(self) -> list[dict]:
        """Every group, published or withheld, in grade order, with the grade's name."""
        rows = [{**group, "withheld": False} for group in self.groups] + \
            [{**group, "withheld": True} for group in self.withheld]
        for row in rows:
            row["grade_name"] = level_name(row["grade"])
        return sorted(rows, key=lambda row: (level_ordinal(row["grade"]), row["gender"]))


class NormTableEvent(EventRow):
    """Adopted for scoring, or retired (by a person, or because another table was adopted)."""

    class Kind(models.TextChoices):
        ADOPTED = "adopted", _("采用为计分常模")
        RETIRED = "retired", _("停用")

    kind = models.CharField(max_length=40, choices=Kind.choices)
    table = models.ForeignKey(NormTable, on_delete=models.CASCADE, related_name="events")


class ResultNorm(models.Model):
    """Which adopted norm table a result was placed in, and where: the record of the norm it used."""

    result = models.OneToOneField("campaigns.InstrumentResult", on_delete=models.CASCADE, related_name="norm")
    norm_table = models.ForeignKey(NormTable, on_delete=models.PROTECT, related_name="results")
    grade = models.CharField(max_length=5)
    gender = models.CharField(max_length=1)
    percentile = models.FloatField(null=True)  # None: the total is below the lowest listed score
    t_score = models.FloatField(null=True)
    at = models.DateTimeField()
