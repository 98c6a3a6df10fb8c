from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinshao.operations.backups import BackupError, backup_database, write_keys


class Command(BaseCommand):
    # A backup or restore must not wait on the checks of the code it is saving or bringing back.
    requires_system_checks = []
    help = (
        "Back up the database to a new file: PostgreSQL with pg_dump -Fc, SQLite with its online backup "
        "(consistent while the server runs). The encrypted fields can only be read with the keys: "
        "--keys-output writes them (FIELD_ENCRYPTION_KEY, SECRET_KEY, XINSHAO_BLIND_INDEX_KEY) to a separate "
        "file, to be stored apart from the database backups. See docs/deploy.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="the backup file to write (must not exist)")
        parser.add_argument("--keys-output", type=Path,
                            help="also write the encryption keys to this file (must not exist; mode 600)")

    def handle(self, *args, output: Path, keys_output: Path | None, **options):
        if keys_output and keys_output.resolve() == output.resolve():
            raise CommandError("--keys-output must be another file than --output: keys are kept apart")
        try:
            backup_database(output)
            if keys_output:
                write_keys(keys_output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Database backed up to {output}")
        if keys_output:
            self.stdout.write(f"Keys written to {keys_output}: store it apart from the database backups")
        else:
            self.stdout.write("The keys are not in this backup: keep FIELD_ENCRYPTION_KEY, SECRET_KEY and "
                              "XINSHAO_BLIND_INDEX_KEY (if set) safe apart from it "
                              "(xinshao backup --keys-output FILE writes them)")
