"""What a load balancer asks before sending a server requests: can it do its work now?

Each check answers True or False only: the reason goes to the server's log, never to the
(unauthenticated) caller, since it can name hosts, users or versions.
"""
import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from kombu import Connection

log = logging.getLogger(__name__)
BROKER_TIMEOUT_SECONDS = 2

# Once this process has seen every migration applied it stops asking: loading the migration
# graph costs far more than the rest of the checks, and migrations are not unapplied under a running server.
_migrations_seen_applied = False


def database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        log.exception("readiness: the database did not answer")
        return False


def migrations_applied() -> bool:
    global _migrations_seen_applied
    if _migrations_seen_applied:
        return True
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        log.exception("readiness: the applied migrations could not be read")
        return False
    if pending:
        log.warning("readiness: %d migrations are not applied; run `xinshao migrate`", len(pending))
        return False
    _migrations_seen_applied = True
    return True


def broker_reachable() -> bool:
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_SECONDS) as broker:
            broker.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
        return True
    except Exception:  # kombu raises the transport's own errors (socket, redis, amqp)
        log.exception("readiness: the Celery broker did not answer")
        return False


def cache_working() -> bool:
    key, token = "xinshao:readiness", uuid.uuid4().hex
    try:
        cache.set(key, token, timeout=10)
        return cache.get(key) == token
    except Exception:  # the cache backend's client raises its own errors (redis.ConnectionError, ...)
        log.exception("readiness: the cache did not answer")
        return False


def readiness() -> dict[str, bool]:
    """Each check by name; the broker only when one is configured (without one, tasks run in-process)."""
    checks = {"database": database_reachable()}
    checks["migrations"] = checks["database"] and migrations_applied()
    if settings.CELERY_BROKER_URL:
        checks["broker"] = broker_reachable()
    checks["cache"] = cache_working()
    return checks
