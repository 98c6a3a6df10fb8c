from django.core.management.base import BaseCommand, CommandError

from xinshao.audit.selectors import audit_chain_verify
from xinshao.audit.services import audit_seal


class Command(BaseCommand):
    help = (
        "Seal the audit entries written since the sequencer last ran, then verify the trail's hash "
        "chain. Each sealed entry holds the hash of the one before it and of its own content; an "
        "entry edited, removed or inserted by hand breaks the chain. Prints the number of entries "
        "checked; on a break, names the first broken entry and exits 1."
    )

    def handle(self, *args, **options):
        audit_seal()
        report = audit_chain_verify()
        if not report.ok:
            where = f"entry #{report.broken_entry_id}" if report.broken_entry_id else "chain head"
            raise CommandError(f"audit chain broken at {where}: {report.problem} ({report.checked} entries verified before it)")
        self.stdout.write(f"audit chain intact: {report.checked} entries verified")
