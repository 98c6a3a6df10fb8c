"""Commands that read the instrument library need its tables: say so in one line, not a traceback."""
import sys

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

NOT_MIGRATED = 2


def exit_unless_migrated(command, app_label: str = "instruments") -> None:
    """Exit with one line on stderr when the app's migrations (or those they need) are not applied."""
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    targets = [node for node in executor.loader.graph.leaf_nodes() if node[0] == app_label]
    if executor.migration_plan(targets):
        command.stderr.write("the database is not set up yet: run `xinshao migrate` first")
        sys.exit(NOT_MIGRATED)
