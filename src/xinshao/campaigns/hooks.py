"""The early-warning hook: what happens at once when a submission carries a critical flag.

A critical flag (an ASQ "yes", PHQ-A item 9 above 0, ...) must reach people the moment it
is stored. The early-warning part registers its handlers here:

    from xinshao.campaigns.hooks import on_critical_flags

    @on_critical_flags
    def raise_red_alert(results):
        ...

`critical_flags_raised(results)` is called once per stored submission, synchronously, after
the submission has been committed, with every InstrumentResult of that submission (at least
one has `has_critical_flag`). Handlers run in the order they were registered. A handler
that fails is logged and the others still run: the submission is already stored, and the
stored `has_critical_flag` (indexed) lets a later sweep find any result a handler missed,
so handlers must be idempotent. A replayed submission (same idempotency key) never calls
the hook again.
"""
import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

Handler = Callable[[list], None]
_handlers: list[Handler] = []


def on_critical_flags(handler: Handler) -> Handler:
    """Register a handler (usable as a decorator); registering the same one twice has no effect."""
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def handler_remove(handler: Handler) -> None:
    if handler in _handlers:
        _handlers.remove(handler)


def critical_flags_raised(results: list) -> None:
    for handler in list(_handlers):  # a copy: a handler may remove itself
        try:
            handler(results)
        except Exception:
            logger.exception("critical-flag handler %r failed for submission %s", handler,
                             results[0].submission_id if results else None)
