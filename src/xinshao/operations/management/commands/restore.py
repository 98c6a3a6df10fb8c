from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from xinshao.operations.backups import (
    BLIND_INDEX_KEY, NO_BLIND_INDEX_KEY, BackupError, install_keys, keys_to_install, read_keys, restore_database,
)


class Command(BaseCommand):
    # A backup or restore must not wait on the checks of the code it is saving or bringing back.
    requires_system_checks = []
    help = (
        "Restore a backup made by xinshao backup into the database named by DATABASE_URL, which must "
        "be empty (a new PostgreSQL database made with createdb, or a new SQLite file). With --keys, "
        "the keys file written by xinshao backup --keys-output: in embedded mode its keys are kept in "
        "the data folder; in production they must already be set in the environment. Afterwards "
        "migrations newer than the backup are applied."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="the backup file (from xinshao backup --output)")
        parser.add_argument("--keys", type=Path, help="the keys file (from xinshao backup --keys-output)")

    def handle(self, *args, backup: Path, keys: Path | None, **options):
        try:
            # Keys checked first: a restore whose encrypted fields this server could not read is not done.
            restored_keys = read_keys(keys) if keys else {}
            installed = keys_to_install(restored_keys)
            connections.close_all()
            restore_database(backup, connections["default"].settings_dict)
        except BackupError as error:
            raise CommandError(str(error)) from None
        install_keys(restored_keys, installed)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"Restored {backup} into database {connections['default'].settings_dict['NAME']}")
        if installed:
            self.stdout.write(f"Kept {', '.join(installed)} from {keys} in the data folder: restart the server")
        if keys and BLIND_INDEX_KEY not in restored_keys:
            self.stdout.write(NO_BLIND_INDEX_KEY)
