from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from xinshao.core.crypto import (
    EncryptionKeyError, blind_index_fields, configured_fernets, encrypted_fields, reindex_model, rotate_model,
)


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field (every EncryptedTextField of every model) with the first key of "
        "FIELD_ENCRYPTION_KEY. To rotate: set FIELD_ENCRYPTION_KEY=NEW,OLD (new key first), restart, run "
        "this command, then remove OLD from FIELD_ENCRYPTION_KEY. Values already under the first key are "
        "left as they are, so running it again is harmless; blind indexes are recomputed too (run it after "
        "changing XINSHAO_BLIND_INDEX_KEY or SECRET_KEY). Reports counts per model; a value no key opens "
        "is reported with its model, field and id (and the command then exits with an error). "
        "See docs/security.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would be re-encrypted, change nothing")
        parser.add_argument("--batch-size", type=int, default=500, help="values written per UPDATE (default 500)")

    def handle(self, *args, dry_run: bool, batch_size: int, **options):
        try:
            keys = configured_fernets()
        except EncryptionKeyError as error:
            raise CommandError(str(error)) from None
        if len(keys) == 1:
            self.stdout.write("Only one key in FIELD_ENCRYPTION_KEY: to rotate, put the new key first (NEW,OLD).")
        failed = []
        for model, fields in encrypted_fields().items():
            with transaction.atomic():
                count = rotate_model(model, fields, dry_run=dry_run, batch_size=max(1, batch_size))
            self.stdout.write(str(count))
            failed += [(count.label, pk, name) for pk, name in count.failed]
        for label, pk, name in failed:
            self.stderr.write(f"cannot decrypt {label} id={pk} field {name} with any configured key")
        if failed:
            raise CommandError(f"{len(failed)} values could not be decrypted; nothing else is wrong with them: "
                               "find the key they were written with and add it to FIELD_ENCRYPTION_KEY")
        if not dry_run:
            for model, fields in blind_index_fields().items():
                with transaction.atomic():
                    self.stdout.write(f"{model._meta.label}: {reindex_model(model, fields)} blind indexes recomputed")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
        elif len(keys) > 1:
            self.stdout.write("Done: every value is under the first key; the other keys can now be removed.")
