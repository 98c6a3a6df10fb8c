from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from xinshao.access.scopes import can_import_roster
from xinshao.org.models import School
from xinshao.rosters.models import ImportRun
from xinshao.rosters.services import roster_import

# Exit statuses: 0 imported (or checked, with --dry-run); 1 the roster has errors and nothing
# was imported; 2 the command itself cannot run (unknown school or user, unreadable file).
ROSTER_REJECTED, CANNOT_RUN = 1, 2


class Command(BaseCommand):
    help = (
        "Import a school's student roster from an Excel workbook (.xlsx) or a CSV file (UTF-8 or GBK). "
        "The header row names the columns in any order: 学号, 姓名, 性别 (男/女), 出生日期 (2013-05-02, "
        "2013/5/2 or an Excel date), 年级 (一年级…九年级, 初一…初三, 高一…高三, 职一…职三; only grades the "
        "school teaches), 班级, 监护人姓名, 监护人电话 (mobile or landline with area code), and optionally "
        "身份证号 (its check character, birth date and gender digit are checked). Every row is checked and every mistake printed "
        "with its row and column; if any row fails nothing is imported (exit status 1). Otherwise "
        "students are matched by 学号: new ones are created, changed ones updated (a class change keeps "
        "the old class in the history), unchanged ones left alone, and missing classes created; "
        "importing the same file twice changes nothing. Each attempt is kept as an import record and "
        "each student written gets an audit entry. Exit status 2 means the command could not run "
        "(unknown school or user, missing file)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the roster file (.xlsx or .csv)")
        parser.add_argument("--school", required=True, metavar="CODE", help="the school's code, e.g. A001")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, write nothing")
        parser.add_argument("--user", metavar="USERNAME",
                            help="record the import as this user's, who must keep the school's roster "
                                 "(default: the system)")
        parser.add_argument("--language", choices=["zh-hans", "en"], default="zh-hans",
                            help="language of the report (default zh-hans)")

    def handle(self, *args, file, school, dry_run, user, language, **options):
        with translation.override(language):
            target = School.objects.filter(code=school).first()
            if target is None:
                raise CommandError(_("没有代码为 %(code)s 的学校。") % {"code": school}, returncode=CANNOT_RUN)
            actor = self._actor(user, target) if user else None
            path = Path(file)
            try:
                content = path.read_bytes()
            except OSError as error:
                raise CommandError(_("无法读取文件 %(file)s：%(reason)s") % {"file": file, "reason": error.strerror},
                                   returncode=CANNOT_RUN) from None
            run = roster_import(school=target, file_name=path.name, content=content, actor=actor,
                                source=ImportRun.Source.COMMAND, dry_run=dry_run)
            if run.outcome == ImportRun.Outcome.REJECTED:
                for problem in run.problems():
                    self.stderr.write(problem.line())
                raise CommandError(_("%(file)s 有 %(count)s 处错误，没有导入任何学生。") % {
                    "file": path.name, "count": len(run.errors)}, returncode=ROSTER_REJECTED)
            self.stdout.write(self._summary(run, target))

    def _actor(self, username: str, school: School):
        actor = get_user_model().objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(_("没有用户名为 %(user)s 的有效用户。") % {"user": username}, returncode=CANNOT_RUN)
        if not can_import_roster(actor, school):
            raise CommandError(_("用户 %(user)s 无权导入 %(school)s 的名册。") % {"user": username, "school": school.code},
                               returncode=CANNOT_RUN)
        return actor

    def _summary(self, run: ImportRun, school: School) -> str:
        heading = _("检查通过，未导入（--dry-run）") if run.dry_run else _("已导入")
        lines = [
            _("%(heading)s：%(file)s → %(school)s %(name)s") % {
                "heading": heading, "file": run.file_name, "school": school.code, "name": school.name},
            _("新增 %(created)s，更新 %(updated)s，未变 %(unchanged)s") % {
                "created": run.created_count, "updated": run.updated_count, "unchanged": run.unchanged_count},
        ]
        if run.new_classes:
            lines.append(_("新建班级：%(classes)s") % {"classes": _("、").join(run.new_classes)})
        return "\n".join(lines)
