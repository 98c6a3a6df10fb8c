"""Screening results as signals, each result exactly once.

Every student result is stored with `signals_pending` set, in the submission's own statement
(campaigns/submissions.py). Turning a result into signals and clearing its marker is one
transaction, under a lock on the result's row (`_result_signals`): once it commits the result
is done, and if anything fails before, nothing of it is kept and the marker stays. It runs
- at once for a submission's critical results: without a broker the submission runs the task
  `signals_for_results` after its commit, so the red alert is raised within the request; with a
  broker the relay `critical_relay` (every few seconds on the worker) raises every pending critical
  result's alert, so a submission sends no message of its own (the marker is the outbox);
- every minute for every result still pending (`screening_sweep`): bands and rises since last
  term, which the submission path leaves for later, and any critical result whose immediate
  run failed or never happened (the process died after the commit).
The same transaction places the result in the norm table in use for its instrument, if the
bureau adopted one (norms/services.py), so each result records the norm it was read against.
The sweep reads the marker, never "ids above the last one seen": on PostgreSQL ids are taken at
insert and transactions commit out of id order, so such a mark passes over a result that
commits late.
"""
import logging
import re

from django.db import transaction

from xinshao.core.numbers import plain_number
from xinshao.alerts import engine
from xinshao.alerts.models import Source
from xinshao.alerts.services import rules_for, signal_receive
from xinshao.campaigns.models import InstrumentResult
from xinshao.instruments.engine import Definition, Library
from xinshao.instruments.selectors import band_labels, instrument_library
from xinshao.norms.selectors import AdoptedNorms, adopted_norms
from xinshao.norms.services import result_norm_place

logger = logging.getLogger(__name__)

SWEEP_BATCH = 2000  # results per run of the periodic job
SWEEP_CHUNK = 200  # pending results read at a time
_SHORT_NAME = re.compile(r"[（(]([^（）()]+)[）)]\s*$")


def short_name(definition: Definition) -> str:
    """"PHQ-A" from "青少年版患者健康问卷（PHQ-A）"; the id in capitals when the title has none."""
    match = _SHORT_NAME.search(definition.title.get("zh-Hans", ""))
    return match.group(1) if match else definition.id.upper()


def result_facts(result: InstrumentResult, definition: Definition) -> dict:
    """What the rules read from one result. An invalid response (too fast, one answer for all)
    keeps its critical items, which count whatever else is wrong, but not its band."""
    outcome = result.outcome
    item_numbers = {item.id: number for number, item in enumerate(definition.items, start=1)}
    critical = [{"flag": flag["id"], "item": item_numbers.get(flag.get("item")), "answer": flag.get("answer")}
                for flag in outcome.get("flags", []) if flag.get("critical")]
    facts = {"instrument": result.instrument_id, "short": short_name(definition), "critical": critical,
             "version": result.instrument_version, "result": result.pk}
    if result.valid and result.band:
        facts.update(total=plain_number(result.total), band=result.band, band_label=_band_label(definition, result.band))
    return facts


def _band_label(definition: Definition, band_id: str) -> str:
    labels = band_labels(definition, band_id)
    return labels.get("zh-Hans", band_id) if labels else band_id


def _previous_result(result: InstrumentResult) -> InstrumentResult | None:
    """The student's latest valid result on the same instrument in an earlier term."""
    return (InstrumentResult.objects
            .filter(student_id=result.student_id, instrument_id=result.instrument_id, valid=True,
                    total__isnull=False, campaign__term__starts_on__lt=result.campaign.term.starts_on)
            .select_related("campaign__term").order_by("-campaign__term__starts_on", "-id").first())


def _signals_for(result: InstrumentResult, library: Library, rules: tuple) -> int:
    """Signals for one student's result, each graded once by `rules` (`rules_for`'s answer)."""
    definition = library.get(result.instrument_id, result.instrument_version)
    facts = result_facts(result, definition)
    candidates = [(Source.SCREENING_RESULT, facts, f"result:{result.pk}")]
    previous = _previous_result(result) if "total" in facts else None
    if previous is not None:
        rise = {"instrument": result.instrument_id, "short": facts["short"], "total": facts["total"],
                "previous_total": plain_number(previous.total), "previous_term": previous.campaign.term.name}
        candidates.append((Source.SCREENING_WORSENING, rise, f"worsening:{result.pk}"))
    made = 0
    for source, signal_facts, origin in candidates:
        graded = engine.grade(rules[0], source, signal_facts)
        if graded.level:
            signal_receive(student=result.student, source=source, raised_by=None, facts=signal_facts, origin=origin,
                           at=result.submission.received_at, graded=graded, rules=rules)
            made += 1
    return made


def _result_signals(result_id: int, library: Library, norms: AdoptedNorms) -> int:
    """One pending result's signals, its place in the norm table in use, and its marker cleared, in
    one transaction; 0 signals if the result is done already or another process holds it."""
    with transaction.atomic():
        result = (InstrumentResult.objects.select_for_update(skip_locked=True, of=("self",))
                  .filter(pk=result_id, signals_pending=True)
                  .select_related("student__school__district", "student__school_class__grade", "submission",
                                  "campaign__term").first())
        if result is None:
            return 0
        # Cleared first, undone with the rest if anything fails.
        InstrumentResult.objects.filter(pk=result_id).update(signals_pending=False)
        if not result.student_id:
            return 0
        if norms:
            result_norm_place(result, norms)
        return _signals_for(result, library, rules_for(result.student.school))


def results_signals(result_ids) -> int:
    """Signals for these results, each in its own transaction; how many signals were made.

    A result that fails is logged and stays pending (the next sweep tries again); the others go on."""
    made, library, norms = 0, instrument_library(), adopted_norms()
    for result_id in result_ids:
        try:
            made += _result_signals(result_id, library, norms)
        except Exception:
            logger.exception("screening result %s: signals failed, left pending for the next sweep", result_id)
    return made


def _pending_signals(pending, *, batch: int, chunk: int) -> int:
    """Signals for up to `batch` of the `pending` results, oldest first, `chunk` ids read at a time.
    `after` only pages through this run (past results that failed or another process holds); every
    run starts again from the first pending result."""
    made, after = 0, 0
    for _round in range(max(1, batch // chunk)):
        ids = list(pending.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:chunk])
        if not ids:
            break
        made += results_signals(ids)
        after = ids[-1]
    return made


def critical_relay(*, batch: int = SWEEP_BATCH, chunk: int = SWEEP_CHUNK) -> int:
    """Signals for the pending results with a critical flag, oldest first; how many signals.

    The outbox relay of a deployment with a broker: the submission's own statement stored the marker,
    and this job, every ALERTS_CRITICAL_RELAY_SECONDS, turns it into the red alert. A result another
    process holds (the sweep, a second relay) is skipped and taken by whoever holds it."""
    pending = InstrumentResult.objects.filter(signals_pending=True, has_critical_flag=True)
    return _pending_signals(pending, batch=batch, chunk=chunk)


def screening_sweep(*, batch: int = SWEEP_BATCH, chunk: int = SWEEP_CHUNK) -> int:
    """Turn up to `batch` pending results into signals, oldest first; return how many signals.

    Each result is its own short transaction, so the sweep never holds the database (SQLite has one
    writer at a time) for long."""
    return _pending_signals(InstrumentResult.objects.filter(signals_pending=True), batch=batch, chunk=chunk)
