"""One row per roster import attempt: the event behind every student a roster created or changed."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinshao.org.models import School
from xinshao.rosters.problems import Problem


class ImportRun(models.Model):
    class Outcome(models.TextChoices):
        IMPORTED = "imported", _("已导入")
        CHECKED = "checked", _("检查通过，未导入")
        REJECTED = "rejected", _("有错误，未导入")

    class Source(models.TextChoices):
        WEB = "web", _("网页")
        COMMAND = "command", _("命令行")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="roster_imports",
                               verbose_name=_("学校"))
    # Null for the command run without --user; actor_label keeps the name if the user is removed.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("操作人"))
    actor_label = models.CharField(_("操作人"), max_length=150)
    source = models.CharField(_("方式"), max_length=10, choices=Source.choices)
    started_at = models.DateTimeField(_("时间"), auto_now_add=True)
    file_name = models.CharField(_("文件名"), max_length=255)
    file_size = models.PositiveIntegerField(_("文件大小"))
    file_sha256 = models.CharField(_("文件摘要"), max_length=64)
    dry_run = models.BooleanField(_("只检查"), default=False)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices)
    row_count = models.PositiveIntegerField(_("数据行"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    unchanged_count = models.PositiveIntegerField(_("未变"), default=0)
    new_classes = models.JSONField(_("新建班级"), default=list, blank=True)
    # Problems as codes and parameters (Problem.as_json), so the report reads in the reader's language.
    errors = models.JSONField(_("错误"), default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("名册导入记录")
        verbose_name_plural = _("名册导入记录")
        indexes = [models.Index(fields=["school", "-started_at"], name="roster_run_school_recent")]

    def __str__(self) -> str:
        return f"{self.school} · {self.file_name} · {self.get_outcome_display()}"

    def problems(self) -> list[Problem]:
        return [Problem.from_json(error) for error in self.errors]
