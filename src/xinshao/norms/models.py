"""Local norm tables: percentiles by grade and gender of an instrument's total, computed from one
term's valid results in a city, with the instrument's reliability in that sample."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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

    class Meta:
        ordering = ["-computed_at", "-id"]
        verbose_name = _("本地常模")
        verbose_name_plural = _("本地常模")

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.instrument_version} · {self.term}"

    def group_rows(self) -> list[dict]:
        """Every group, published or withheld, in grade order, with the grade's name."""
        rows = [{**group, "withheld": False} for group in self.groups] + \
            [{**group, "withheld": True} for group in self.withheld]
        for row in rows:
            row["grade_name"] = level_name(row["grade"])
        return sorted(rows, key=lambda row: (level_ordinal(row["grade"]), row["gender"]))
