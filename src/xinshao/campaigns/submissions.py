"""Receiving a respondent's answers: drafts while they answer, then the one submission.

The submission is the platform's hot path (a city's spring screening arrives in a few weeks,
class by class). On PostgreSQL one submission costs two round trips: one read (assignment,
campaign, student, consent and a reserved submission id in one query) and one statement that
commits by itself: the submission row, every instrument's result, the assignment's new state and
the audit entry. Definitions are compiled once per process and
the battery is worked out once per campaign and age (docs/benchmarks.md, "Submissions").

Nothing is stored unless everything checks out: a refusal raises `Refusal` before the
transaction starts. The idempotency key makes a retry safe: the unique constraint, not a
prior read, decides which of several identical requests stores the answers, so the same key
sent any number of times, also at once, is stored once and answered the same way.

Early warning learns of a student's results from the results themselves: each is stored with
`signals_pending` set, in the same statement, and early warning clears it in the transaction
that makes the result's signals. Without a broker, right after the commit, a submission with a
critical answer runs early warning's task by name, so that its alert is raised at once; with a
broker the worker's relay takes every pending critical result every few seconds. Anything missed
(a task failed, a process died first) the sweep finds by the marker (alerts/screening.py).
"""
import datetime
import json
import math
import uuid
from contextlib import nullcontext
from dataclasses import dataclass

from celery import current_app
from django.db import IntegrityError, connection, transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinshao.accounts.models import User
from xinshao.audit.services import (
    AUDIT_INSERT_SQL,
    AuditEvent,
    audit_entry_new,
    audit_insert_values,
    audit_record,
)
from xinshao.campaigns.models import (
    Assignment,
    Campaign,
    ConsentRecord,
    HelpRequest,
    InstrumentResult,
    Submission,
)
from xinshao.campaigns.rules import (
    age_on,
    asks_consent,
    battery_for,
    consent_allows,
    is_accepting,
    latest_consent,
)
from xinshao.instruments.engine import Definition
from xinshao.instruments.selectors import instrument_definition_get
from xinshao.people.models import Student

CRITICAL_PREFIX = "critical"
# Early warning's task for a student's critical results (alerts/tasks.py): by name, so that
# campaigns need not know who acts on them and the dependency stays one way.
CRITICAL_RESULTS_TASK = "xinshao.alerts.tasks.signals_for_results"
MAX_ITEM_SECONDS = 24 * 3600

# Every refusal a respondent can meet, worded for a child: what happened and what to do.
REFUSALS = {
    "unknown_assignment": (403, _("找不到这份问卷。请重新输入测评码。")),
    "not_open": (409, _("这项测评现在没有开放。请听老师的安排。")),
    "closed": (409, _("这项测评已经结束，不能再提交了。")),
    "not_taking_part": (403, _("未获监护人同意，不参加本次测评。如果有疑问，可以问问老师。")),
    "already_submitted": (409, _("这份问卷已经提交过了，谢谢你。")),
    "key_reused": (409, _("这次提交的编号已经用过。请刷新页面后再提交。")),
    "wrong_instruments": (400, _("问卷内容和这次测评不一致。请刷新页面后再提交。")),
    "wrong_count": (400, _("题目数量不对。请刷新页面后再提交。")),
    "bad_value": (400, _("有一个答案无法识别。请刷新页面，检查后再提交。")),
    "malformed": (400, _("收到的内容不完整。请刷新页面后再试。")),
    "other_account": (403, _("这台设备现在登录的是另一个账号。请先退出登录，再输入测评码。")),
}


class Refusal(Exception):
    """Why answers were not accepted; nothing was stored."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code
        self.status, self.message = REFUSALS[code]


@dataclass(frozen=True)
class Receipt:
    submission_id: int
    stored_now: bool  # False when this was a retry of an already stored submission


@dataclass(frozen=True)
class Answered:
    """One instrument of the battery with the answers given to it, checked."""

    definition: Definition
    answers: list
    seconds: list


# (id, version) -> compiled definition and each item's option values. A published version never
# changes (the library refuses a second definition with the same id and version), so this needs
# no invalidation.
_definitions: dict[tuple[str, str], tuple[Definition, tuple[frozenset, ...]]] = {}


def _pinned(instrument_id: str, version: str) -> tuple[Definition, tuple[frozenset, ...]]:
    key = (instrument_id, version)
    pinned = _definitions.get(key)
    if pinned is None:
        definition = instrument_definition_get(instrument_id=instrument_id, version=version)
        pinned = _definitions[key] = (definition, tuple(frozenset(item.values) for item in definition.items))
    return pinned


def pinned_definition(instrument_id: str, version: str) -> Definition:
    return _pinned(instrument_id, version)[0]


_UNREAD = object()


def assignment_refusal(assignment: Assignment, now=None, *, consent=_UNREAD) -> str | None:
    """Why this respondent cannot answer now, or None. `consent`: the newest decision, when already read."""
    campaign = assignment.campaign
    now = now or timezone.now()
    if assignment.status == Assignment.Status.SUBMITTED:
        return "already_submitted"
    if campaign.status == Campaign.Status.CLOSED or now >= campaign.closes_at:
        return "closed"
    if not is_accepting(campaign, now):
        return "not_open"
    if assignment.student_id is not None and asks_consent(campaign):
        decision = latest_consent(assignment) if consent is _UNREAD else consent
        if not consent_allows(campaign, decision):
            return "not_taking_part"
    return None


# --- The hot path's reads: one query -----------------------------------------------------------
# Receiving answers needs a few columns of the assignment, its campaign, the student and the
# newest consent decision. The ORM would take a millisecond of CPU to build that query; this
# plain SQL (valid on PostgreSQL and SQLite) takes a tenth of it, and a city's screening
# arrives at hundreds of submissions a second.
_RESPONDENT_SQL = f"""
SELECT a.status, a.campaign_id, a.student_id, a.teacher_id, c.status, c.opens_at, c.closes_at, c.audience,
       c.consent_rule, s.birth_date, u.username,
       (SELECT r.decision FROM {ConsentRecord._meta.db_table} r
         WHERE r.campaign_id = a.campaign_id AND r.student_id = a.student_id
         ORDER BY r.recorded_at DESC, r.id DESC LIMIT 1)
  FROM {Assignment._meta.db_table} a
  JOIN {Campaign._meta.db_table} c ON c.id = a.campaign_id
  LEFT JOIN {Student._meta.db_table} s ON s.id = a.student_id
  LEFT JOIN {User._meta.db_table} u ON u.id = a.teacher_id
 WHERE a.id = %s"""
# On PostgreSQL the submit path also reserves its submission's id in the same query, so that the audit
# entry (which names the submission, inside its content hash) can go into the one write statement.
_RESPONDENT_RESERVING_SQL = _RESPONDENT_SQL.replace(
    "\n  FROM", f", nextval(pg_get_serial_sequence('{Submission._meta.db_table}', 'id'))\n  FROM", 1)


def _aware(value) -> datetime.datetime:
    """A datetime column read with plain SQL: SQLite hands it back naive (UTC) or as text."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=datetime.UTC)


def _date(value) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def respondent_load(assignment_id: int, *, reserve_submission_id: bool = False
                    ) -> tuple[Assignment, str | None, int | None]:
    """(the assignment, the newest consent decision, a reserved submission id) in one query. The
    assignment, its campaign, student and teacher are unsaved copies carrying only what receiving
    answers reads. The id is reserved only when asked and on PostgreSQL, else None (a refused or
    repeated request just leaves a gap in the sequence)."""
    reserving = reserve_submission_id and connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(_RESPONDENT_RESERVING_SQL if reserving else _RESPONDENT_SQL, [assignment_id])
        row = cursor.fetchone()
    if row is None:
        raise Refusal("unknown_assignment")
    (status, campaign_id, student_id, teacher_id, campaign_status, opens_at, closes_at, audience, rule, born, username,
     consent) = row[:12]
    campaign = Campaign(id=campaign_id, status=campaign_status, opens_at=_aware(opens_at), closes_at=_aware(closes_at),
                        audience=audience, consent_rule=rule)
    assignment = Assignment(id=assignment_id, status=status, campaign=campaign,
                            student=Student(id=student_id, birth_date=_date(born)) if student_id else None,
                            teacher=User(id=teacher_id, username=username) if teacher_id else None)
    return assignment, consent, row[12] if reserving else None


# battery_for depends only on the campaign's battery (fixed when the campaign is created), its
# opening time and, for a student, their age on the opening day: its answer is kept on those.
_batteries: dict[tuple, list] = {}


def respondent_battery(assignment: Assignment) -> list:
    opens_at = assignment.campaign.opens_at
    age = age_on(assignment.student.birth_date, timezone.localtime(opens_at).date()) if assignment.student_id else None
    key = (assignment.campaign_id, opens_at, age)
    battery = _batteries.get(key)
    if battery is None:
        battery = _batteries[key] = battery_for(assignment)
    return battery


def _check_answers(allowed: tuple[frozenset, ...], values) -> None:
    """One entry per item, each None (not answered) or one of the item's option values."""
    if not isinstance(values, list):
        raise Refusal("malformed")
    if len(values) != len(allowed):
        raise Refusal("wrong_count")
    for options, value in zip(allowed, values):
        if value is not None and (type(value) is not int or value not in options):
            raise Refusal("bad_value")


def _check_seconds(definition: Definition, values) -> None:
    if not isinstance(values, list) or len(values) != len(definition.items):
        raise Refusal("malformed")
    for value in values:
        if type(value) not in (int, float) or not (0 <= value <= MAX_ITEM_SECONDS) or math.isnan(value):
            raise Refusal("malformed")


def answers_checked(payload, battery: list) -> list[Answered]:
    """The payload's answers and seconds, one entry per battery instrument; refuses anything else."""
    answers, seconds = payload.get("answers"), payload.get("seconds")
    if not isinstance(answers, dict) or not isinstance(seconds, dict):
        raise Refusal("malformed")
    expected = {entry.instrument_id for entry in battery}
    if set(answers) != expected or set(seconds) != expected or len(expected) != len(battery):
        raise Refusal("wrong_instruments")
    checked = []
    for entry in battery:
        definition, allowed = _pinned(entry.instrument_id, entry.instrument_version)
        _check_answers(allowed, answers[entry.instrument_id])
        _check_seconds(definition, seconds[entry.instrument_id])
        checked.append(Answered(definition, answers[entry.instrument_id], seconds[entry.instrument_id]))
    return checked


def _idempotency_key(payload) -> uuid.UUID:
    try:
        return uuid.UUID(str(payload.get("key")))
    except (TypeError, ValueError):
        raise Refusal("malformed") from None


# --- The hot path's writes: the submission, its results, the assignment's new state, the audit entry -
# On PostgreSQL in one statement, which commits by itself (one round trip, no BEGIN and COMMIT); elsewhere
# (SQLite, in-process) in four, in one transaction.
_SUBMISSION_COLUMNS = "assignment_id, idempotency_key, answers, item_seconds, received_at"
_SUBMISSION_INSERT = (f"INSERT INTO {Submission._meta.db_table} ({_SUBMISSION_COLUMNS}) "
                      "VALUES (%s, %s, %s, %s, %s) RETURNING id")
_SUBMISSION_INSERT_WITH_ID = (f"INSERT INTO {Submission._meta.db_table} (id, {_SUBMISSION_COLUMNS}) "
                              "VALUES (%s, %s, %s, %s, %s, %s) RETURNING id")
_RESULT_COLUMNS = ("campaign_id", "student_id", "teacher_id", "instrument_id", "instrument_version", "total", "band",
                   "valid", "has_critical_flag", "signals_pending", "outcome")
_RESULT_INSERT = f"INSERT INTO {InstrumentResult._meta.db_table} (submission_id, {', '.join(_RESULT_COLUMNS)})"
_ASSIGNMENT_SUBMITTED = (f"UPDATE {Assignment._meta.db_table} SET status = %s, submitted_at = %s, draft = %s, "
                         "started_at = COALESCE(started_at, %s) WHERE id = %s")
# The results arrive as one JSON array read into rows of the table's own type: one parameter, not one per
# column, which keeps the statement within what psycopg caches the parsing of (50 parameters).
_ONE_STATEMENT = f"""
WITH submission AS ({_SUBMISSION_INSERT_WITH_ID}),
     results AS ({_RESULT_INSERT}
                 SELECT submission.id, {', '.join(f'given.{column}' for column in _RESULT_COLUMNS)}
                   FROM submission, jsonb_populate_recordset(NULL::{InstrumentResult._meta.db_table}, %s::jsonb) AS given
                 RETURNING id, instrument_id),
     submitted AS ({_ASSIGNMENT_SUBMITTED}),
     audited AS ({AUDIT_INSERT_SQL})
SELECT results.id, results.instrument_id FROM results"""


@dataclass
class Scored:
    """One instrument's result as the hot path writes it (not a model: a city's screening makes
    hundreds a second); `id` is the stored row's."""

    values: dict  # _RESULT_COLUMNS' values but the outcome
    outcome: dict
    id: int | None = None

    @property
    def critical(self) -> bool:
        return self.values["has_critical_flag"] and self.values["signals_pending"]


def _scored(assignment: Assignment, answered: Answered) -> Scored:
    outcome = answered.definition.score(answered.answers, seconds=answered.seconds)
    return Scored(values={
        "campaign_id": assignment.campaign_id, "student_id": assignment.student_id,
        "teacher_id": assignment.teacher_id, "instrument_id": answered.definition.id,
        "instrument_version": answered.definition.version, "total": outcome["total"], "band": outcome["band"] or "",
        "valid": outcome["valid"],
        "has_critical_flag": any(flag["id"].startswith(CRITICAL_PREFIX) for flag in outcome["flags"]),
        "signals_pending": assignment.student_id is not None,
    }, outcome=outcome)


def _replay(assignment: Assignment, key: uuid.UUID) -> Receipt:
    """A request whose answers are already stored: the same answer for the same key."""
    stored = Submission.objects.filter(idempotency_key=key).values_list("assignment_id", "id").first()
    if stored is not None and stored[0] == assignment.pk:
        return Receipt(submission_id=stored[1], stored_now=False)
    if stored is not None:
        raise Refusal("key_reused")
    raise Refusal("already_submitted")


def _prepared(model, field_name: str, value):
    """A value as the database takes it (JSON, UUID and datetime differ between backends)."""
    return model._meta.get_field(field_name).get_db_prep_save(value, connection)


_OUTCOME = InstrumentResult._meta.get_field("outcome")
_SUBMISSION_LABEL = Submission._meta.label_lower


def _write_in_one_statement(cursor, submission_values: list, results: list[Scored], submitted_values: list,
                            audited: list) -> None:
    rows = json.dumps([{**result.values, "outcome": result.outcome} for result in results])
    cursor.execute(_ONE_STATEMENT, [*submission_values, rows, *submitted_values, *audited])
    ids = dict((instrument_id, result_id) for result_id, instrument_id in cursor.fetchall())
    for result in results:
        result.id = ids[result.values["instrument_id"]]


def _write_in_steps(cursor, submission_values: list, results: list[Scored], submitted_values: list,
                    entry_for) -> int:
    cursor.execute(_SUBMISSION_INSERT, submission_values)
    submission_id = cursor.fetchone()[0]
    row = "(" + ", ".join(["%s"] * (len(_RESULT_COLUMNS) + 1)) + ")"
    cursor.execute(f"{_RESULT_INSERT} VALUES {', '.join([row] * len(results))} RETURNING id, instrument_id",
                   [value for result in results for value in
                    [submission_id, *(result.values[column] for column in _RESULT_COLUMNS[:-1]),
                     _OUTCOME.get_db_prep_save(result.outcome, connection)]])
    ids = dict((instrument_id, result_id) for result_id, instrument_id in cursor.fetchall())
    for result in results:
        result.id = ids[result.values["instrument_id"]]
    cursor.execute(_ASSIGNMENT_SUBMITTED, submitted_values)
    cursor.execute(AUDIT_INSERT_SQL, audit_insert_values(entry_for(submission_id)))
    return submission_id


def _critical_results_queue(result_ids: list[int]) -> None:
    current_app.tasks[CRITICAL_RESULTS_TASK].delay(result_ids)


def _store(assignment: Assignment, reserved_id: int | None, key: uuid.UUID, checked: list[Answered],
           results: list[Scored], request) -> int:
    """The submission, its results, the assignment's new state and the audit entry, all or nothing;
    once they are committed, early warning hears of the critical results. Returns the submission's
    id; raises IntegrityError if the key or the assignment already has a submission."""
    stamp = _prepared(Submission, "received_at", timezone.now())
    submission_values = [
        assignment.pk, _prepared(Submission, "idempotency_key", key),
        _prepared(Submission, "answers", {a.definition.id: a.answers for a in checked}),
        _prepared(Submission, "item_seconds", {a.definition.id: a.seconds for a in checked}), stamp,
    ]
    submitted_values = [Assignment.Status.SUBMITTED, stamp, _prepared(Assignment, "draft", {}), stamp, assignment.pk]

    def entry_for(submission_id: int):
        return audit_entry_new(actor=assignment.teacher, request=request, event=AuditEvent(
            action="campaign.submit", student_id=assignment.student_id, object_type=_SUBMISSION_LABEL,
            object_id=str(submission_id), detail={"campaign": assignment.campaign_id}))

    if reserved_id is not None:
        # Outside a transaction the statement commits by itself; inside one (a seed, a test) a
        # savepoint keeps a conflict from aborting it, so that the conflict can be answered as a replay.
        with transaction.atomic() if connection.in_atomic_block else nullcontext(), connection.cursor() as cursor:
            _write_in_one_statement(cursor, [reserved_id, *submission_values], results, submitted_values,
                                    audit_insert_values(entry_for(reserved_id)))
        submission_id = reserved_id
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            submission_id = _write_in_steps(cursor, submission_values, results, submitted_values, entry_for)
    critical = [result.id for result in results if result.critical]
    if critical and current_app.conf.task_always_eager:
        # Without a broker the alert is raised in this process before the answer goes back: after the
        # commit (at once when the statement committed by itself). Robust: the answers are committed
        # whatever happens here, and a task that fails leaves the marker set for the sweep. With a
        # broker the worker's relay raises it from the marker within seconds: no message per submission.
        transaction.on_commit(lambda: _critical_results_queue(critical), robust=True)
    return submission_id


def submission_receive(*, assignment_id: int, payload, request=None) -> Receipt:
    """Check, score and store a finished questionnaire; raise Refusal (storing nothing) otherwise."""
    if not isinstance(payload, dict):
        raise Refusal("malformed")
    key = _idempotency_key(payload)
    assignment, consent, reserved_id = respondent_load(assignment_id, reserve_submission_id=True)
    if assignment.status == Assignment.Status.SUBMITTED:
        return _replay(assignment, key)
    refusal = assignment_refusal(assignment, consent=consent)
    if refusal:
        raise Refusal(refusal)
    checked = answers_checked(payload, respondent_battery(assignment))
    results = [_scored(assignment, answered) for answered in checked]
    try:
        submission_id = _store(assignment, reserved_id, key, checked, results, request)
    except IntegrityError:  # another request with this key (or for this assignment) stored first
        return _replay(assignment, key)
    return Receipt(submission_id=submission_id, stored_now=True)


def draft_save(*, assignment_id: int, payload) -> None:
    """Keep the answers given so far, so the respondent can resume on another device.

    `updated` is the respondent's device clock when the last answer was given; the page
    prefers whichever of its own copy and this one is newer.
    """
    if not isinstance(payload, dict) or type(payload.get("updated")) is not int or type(payload.get("position")) is not int:
        raise Refusal("malformed")
    assignment, consent, _ = respondent_load(assignment_id)
    refusal = assignment_refusal(assignment, consent=consent)
    if refusal:
        raise Refusal(refusal)
    checked = answers_checked(payload, respondent_battery(assignment))
    draft = {
        "answers": {a.definition.id: a.answers for a in checked},
        "seconds": {a.definition.id: a.seconds for a in checked},
        "position": max(0, payload["position"]),
        "updated": payload["updated"],
    }
    # The status filter keeps a late draft from overwriting a submitted assignment.
    Assignment.objects.filter(pk=assignment.pk).exclude(status=Assignment.Status.SUBMITTED).update(
        draft=draft, status=Assignment.Status.IN_PROGRESS, started_at=Coalesce("started_at", Value(timezone.now())))


def help_request_create(*, assignment: Assignment, message: str, contact: str, request=None) -> tuple[HelpRequest, bool]:
    """A teacher asks for help after a well-being survey: from now on the bureau's psych centre
    may read this teacher's result. Asking twice keeps the first request; returns (request, created)."""
    try:
        with transaction.atomic():
            help_request = HelpRequest.objects.create(assignment=assignment, message=message, contact=contact)
            audit_record(actor=assignment.teacher, action="campaign.help_request", obj=help_request, request=request,
                         detail={"campaign": assignment.campaign_id})
    except IntegrityError:  # asked before (one request per assignment)
        return HelpRequest.objects.get(assignment=assignment), False
    return help_request, True
