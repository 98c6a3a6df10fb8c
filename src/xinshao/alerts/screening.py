"""Screening results as signals.

Critical flags raise their alert at once, through the campaigns hook, in the request that
stored the submission. Everything else (a band the rules grade, a rise since last term) is
picked up by a periodic sweep, so the submission path (300+ per second) does no extra work.
The sweep also catches a critical result the hook missed; signals are unique per result.
"""
import re

from django.db import transaction
from django.utils import timezone

from xinshao.alerts import engine
from xinshao.alerts.models import ScreeningSweep, Signal, Source
from xinshao.alerts.services import rules_for, signal_receive
from xinshao.campaigns.hooks import on_critical_flags
from xinshao.campaigns.models import InstrumentResult
from xinshao.instruments.engine import Definition, Library
from xinshao.instruments.selectors import instrument_library

SWEEP_BATCH = 2000  # results per run of the periodic job
SWEEP_CHUNK = 200  # results per transaction
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


def plain_number(value: float | None):
    """21 rather than 21.0: totals are stored as floats, and most are whole."""
    return int(value) if value is not None and float(value).is_integer() else value


def _band_label(definition: Definition, band_id: str) -> str:
    primary = next((s for s in definition.scores if s.id == definition.primary_score and s.bands), None)
    if primary is None or band_id not in {b.id for b in primary.bands.ranges + primary.bands.override_bands}:
        return band_id
    return primary.bands.by_id(band_id).label.get("zh-Hans", band_id)


def _previous_result(result: InstrumentResult) -> InstrumentResult | None:
    """The student's latest valid result on the same instrument in an earlier term."""
    return (InstrumentResult.objects
            .filter(student_id=result.student_id, instrument_id=result.instrument_id, valid=True,
                    total__isnull=False, campaign__term__starts_on__lt=result.campaign.term.starts_on)
            .select_related("campaign__term").order_by("-campaign__term__starts_on", "-id").first())


def _signals_for(result: InstrumentResult, library: Library, done: frozenset = frozenset()) -> int:
    """Signals for one result; `done` holds the origins that already have theirs."""
    definition = library.get(result.instrument_id, result.instrument_version)
    rules = rules_for(result.student.school)[0]
    received = result.submission.received_at
    made = 0
    facts = result_facts(result, definition)
    if f"result:{result.pk}" not in done and engine.grade(rules, Source.SCREENING_RESULT, facts).level:
        signal_receive(student=result.student, source=Source.SCREENING_RESULT, raised_by=None, facts=facts,
                       origin=f"result:{result.pk}", at=received)
        made += 1
    previous = _previous_result(result) if "total" in facts and f"worsening:{result.pk}" not in done else None
    if previous is not None:
        rise = {"instrument": result.instrument_id, "short": facts["short"], "total": facts["total"],
                "previous_total": plain_number(previous.total), "previous_term": previous.campaign.term.name}
        if engine.grade(rules, Source.SCREENING_WORSENING, rise).level:
            signal_receive(student=result.student, source=Source.SCREENING_WORSENING, raised_by=None, facts=rise,
                           origin=f"worsening:{result.pk}", at=received)
            made += 1
    return made


def _student_results(ids) -> list[InstrumentResult]:
    return list(InstrumentResult.objects.filter(pk__in=ids, student__isnull=False)
                .select_related("student__school__district", "submission", "campaign__term").order_by("pk"))


def raise_critical_signals(results: list[InstrumentResult]) -> None:
    """The campaigns hook: a critical flag on a student's result raises its alert now."""
    critical = [r.pk for r in results if r.has_critical_flag and r.student_id]
    if critical:
        library = instrument_library()
        for result in _student_results(critical):
            _signals_for(result, library)


def register() -> None:
    on_critical_flags(raise_critical_signals)


def screening_sweep(*, batch: int = SWEEP_BATCH, chunk: int = SWEEP_CHUNK) -> int:
    """Turn the student results stored since the last sweep into signals; return how many signals.

    Short transactions of `chunk` results each, so the sweep never holds the database (SQLite has one
    writer at a time) long enough to slow submissions down.
    """
    made, library = 0, instrument_library()
    for _round in range(max(1, batch // chunk)):
        with transaction.atomic():
            mark, _created = ScreeningSweep.objects.select_for_update().get_or_create(pk=1)
            ids = list(InstrumentResult.objects.filter(pk__gt=mark.last_result_id).order_by("pk")
                       .values_list("pk", flat=True)[:chunk])
            if not ids:
                break
            origins = [f"{kind}:{pk}" for pk in ids for kind in ("result", "worsening")]
            done = frozenset(Signal.objects.filter(origin__in=origins).values_list("origin", flat=True))
            for result in _student_results(ids):
                made += _signals_for(result, library, done)
            mark.last_result_id, mark.swept_at = ids[-1], timezone.now()
            mark.save()
    return made
