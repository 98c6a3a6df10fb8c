from django.core.management.base import BaseCommand

from xinshao.retention.kinds import KINDS
from xinshao.retention.services import retention_run


class Command(BaseCommand):
    help = ("Delete or anonymise every kind of data past its time under the bureau's retention policy "
            "(the policy page, /retention/), keeping what the dashboards count; each kind's run is recorded. "
            "--dry-run only counts what is due.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what is due; change nothing")
        parser.add_argument("--kind", action="append", choices=sorted(KINDS), help="only this kind (repeatable)")

    def handle(self, *args, dry_run=False, kind=None, **options):
        for run in retention_run(dry_run=dry_run, kinds=kind):
            verb = "due" if dry_run else "done"
            self.stdout.write(f"{run.kind}: {run.found} past {run.cutoff} ({run.months} months, {run.action}), "
                              f"{run.found if dry_run else run.done} {verb}, {run.get_state_display()}"
                              + (f" — {run.message}" if run.message else ""))
