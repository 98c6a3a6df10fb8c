"""Custom instrument definitions uploaded by a bureau admin. Built-in definitions are files in
definitions/ and are never stored here; both are read through selectors.instrument_library()."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomInstrument(models.Model):
    """One definition file (one instrument at one version), checked by the engine before saving.

    A changed definition is uploaded as a new version, never edited in place: results record
    the version and definition_sha256 they were scored with, so they stay reproducible.
    """

    instrument_id = models.CharField(_("量表标识"), max_length=40)
    version = models.CharField(_("版本"), max_length=20)
    definition = models.JSONField(_("定义"))
    definition_sha256 = models.CharField(_("定义摘要"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("自定义量表")
        verbose_name_plural = _("自定义量表")
        ordering = ["instrument_id", "version"]
        constraints = [
            models.UniqueConstraint(fields=["instrument_id", "version"], name="instruments_custom_id_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.version}"
