"""Scoring one response or a batch against a compiled definition.

The definition is compiled once into index tuples and lookup tables, so a response costs a
handful of C-level operations per item (bench/score_batch.py: 435,000 questionnaires).
Order of work for one response:
1. fit the answers to the items (trailing optional items may be left off; any other count is
   an error) and map each answer through its item's table: scored value, None (missing) or BAD;
2. raise flags from the raw answers, always, even when the rest cannot be scored: a critical
   item is never lost because another answer was bad or missing;
3. if every answer is readable: compute scores exactly, apply missing-item rules, round half
   up, look up bands, apply overrides, transformed scores, cut-offs;
4. validity checks (too fast, straight-lining) and the result dict.
"""
import gc
from contextlib import contextmanager

from .messages import ASK_ACTION, ASK_RULE, REFUSAL_NOTE, count_message, value_message
from .results import ScoreSheet, flag_dict

BAD = type("Unreadable", (), {"__repr__": lambda self: "BAD"})()  # an answer that is no option value


@contextmanager
def _collector_paused():
    """Results are acyclic dicts. Left running, the cyclic garbage collector rescans the growing
    list of results again and again during a large batch, which more than doubles its time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _plain(value):
    """An answer as JSON can carry it, for echoing back in a flag."""
    return value if value is None or isinstance(value, (bool, int, float, str)) else repr(value)


def _copy_flag(template: dict, answer) -> dict:
    """A fresh flag per result, so that a caller editing one result cannot change another."""
    flag = template.copy()
    flag["rule"], flag["action"], flag["citation"] = template["rule"].copy(), template["action"].copy(), template["citation"].copy()
    flag["answer"] = _plain(answer)
    return flag


class _FlagTarget:
    """One item watched by one flag rule, with the flag dicts it raises prebuilt."""

    __slots__ = ("index", "values", "if_missing", "positive", "unanswered")

    def __init__(self, rule, item):
        citation = rule.citation.as_dict()
        self.index = item.index
        self.values = rule.values
        self.if_missing = rule.if_missing
        self.positive = flag_dict(rule.id, rule.critical, rule.rule, rule.action, citation, item=item.id)
        self.unanswered = flag_dict(
            f"{rule.id}_unanswered", rule.critical,
            {lang: f"{ASK_RULE[lang]} {rule.rule[lang]}" for lang in ASK_RULE},
            {lang: f"{ASK_ACTION[lang]} {rule.action[lang]}" for lang in ASK_ACTION},
            citation, item=item.id,
        )

    def for_unreadable(self, answer) -> dict | None:
        """A blank or unreadable answer: positive (a refusal rule), ask directly, or nothing."""
        if self.if_missing == "positive":
            flag = _copy_flag(self.positive, answer)
            flag["note"] = REFUSAL_NOTE
            return flag
        if self.if_missing == "ask":
            return _copy_flag(self.unanswered, answer)
        return None


class Scorer:
    def __init__(self, definition):
        self.definition = definition
        items = definition.items
        self._count = len(items)
        self._shortest = max((item.index + 1 for item in items if item.required), default=0)
        self._tables = [self._table(item) for item in items]
        self._required = tuple(item.index for item in items if item.required)
        critical = {index for rule in definition.flags if rule.critical for index in rule.item_indices}
        self._sheet = ScoreSheet(definition, critical)
        self._targets = [_FlagTarget(rule, items[index]) for rule in definition.flags for index in rule.item_indices]
        self._branches = tuple((item.index, item.shown_if) for item in items if item.shown_if)
        self._critical_values = {index: frozenset().union(*(rule.values for rule in definition.flags
                                                            if rule.critical and index in rule.item_indices))
                                 for index, _condition in self._branches}
        self._reversal_contradicts = self._reversal_contradiction_table(items)
        self._per_item_seconds = definition.validity.min_seconds_per_item
        self._straight_lining = definition.validity.straight_lining
        self._header = {"instrument": definition.id, "version": definition.version,
                        "definition_sha256": definition.sha256, "valid": False}

    @staticmethod
    def _table(item) -> dict:
        table = {value: item.scored(value) for value in item.values}
        table[None] = None
        return table

    def score_batch(self, rows, *, seconds=None) -> list[dict]:
        with _collector_paused():
            if seconds is None:
                return [self.score(row) for row in rows]
            return [self.score(row, seconds=spent) for row, spent in zip(rows, seconds, strict=True)]

    def score(self, answers, *, seconds=None, norms=None, grade=None, gender=None) -> dict:
        row, errors = self._fit(list(answers))
        scored = self._map(row)
        not_asked, ignored = self._branch(row, scored) if self._branches else ((), ())
        readable = BAD not in scored
        if not readable:
            errors.extend(value_message(self.definition.items[index], row[index])
                          for index, value in enumerate(scored) if value is BAD)
        missing = [index for index in self._required if scored[index] is None] if None in scored else []
        flags = self._flags(row, scored, not_asked)
        result = dict(self._header)
        if errors:  # an unreadable or misplaced answer: no score can be trusted, the flags above stand
            result.update(self._sheet.unscored())
            score_errors = []
        else:
            score_errors = self._sheet.fill(result, row, scored, bool(missing), flags, not_asked)
            errors.extend(score_errors)
        answered = len(self._required) - len(missing) if readable else self._answered(scored)
        result["flags"] = flags
        result["validity"] = {
            "missing_items": [self.definition.items[index].id for index in missing],
            "too_many_missing": bool(score_errors),
            "too_fast": self._too_fast(seconds, answered, errors),
            "straight_lining": self._straight_lining and readable and not missing and self._straight(row, errors),
            "not_asked": [self.definition.items[index].id for index in not_asked],
            "ignored_answers": [self.definition.items[index].id for index in ignored],
        }
        result["errors"] = errors
        result["valid"] = not errors
        result["norm"] = norms.lookup(result, grade=grade, gender=gender) if norms is not None else None
        return result

    def _fit(self, row: list) -> tuple[list, list[str]]:
        """Pad trailing optional items; any other count is an error, and the answers keep their positions."""
        if len(row) == self._count:
            return row, []
        if self._shortest <= len(row) < self._count:
            return row + [None] * (self._count - len(row)), []
        fitted = (row + [None] * self._count)[: self._count]
        return fitted, [count_message(self.definition, len(row), self._shortest)]

    def _map(self, row: list) -> list:
        try:
            return [table.get(value, BAD) for table, value in zip(self._tables, row)]
        except TypeError:  # an unhashable answer, e.g. a list: unreadable, like any other bad value
            return [_lookup(table, value) for table, value in zip(self._tables, row)]

    def _branch(self, row: list, scored: list) -> tuple[list[int], list[int]]:
        """(items the branching did not ask, those whose answer given anyway was dropped).

        An item not asked has no answer. One given anyway (an old page, a changed answer
        upstream) is ignored, except an answer that raises a critical flag: a child who said
        yes to "thoughts of killing yourself right now" is never ignored."""
        not_asked, ignored = [], []
        for index, condition in self._branches:
            if condition.met(row, scored):
                continue
            not_asked.append(index)
            if scored[index] is not None and row[index] not in self._critical_values[index]:
                ignored.append(index)
                row[index] = scored[index] = None
        return not_asked, ignored

    def _flags(self, row: list, scored: list, not_asked) -> list[dict]:
        flags = []
        for target in self._targets:
            answer, value = row[target.index], scored[target.index]
            if value is None or value is BAD:
                if target.index in not_asked:  # no answer because the question was not asked
                    continue
                flag = target.for_unreadable(answer)
                if flag:
                    flags.append(flag)
            elif answer in target.values:
                flags.append(_copy_flag(target.positive, answer))
        return flags

    def _answered(self, scored: list) -> int:
        return sum(1 for index in self._required if scored[index] is not None and scored[index] is not BAD)

    def _too_fast(self, seconds, answered: int, errors: list[str]) -> bool | None:
        """Too fast when the time spent is under the definition's seconds for each answered item."""
        if seconds is None or not self._per_item_seconds:
            return None
        spent = _seconds_spent(seconds)
        if spent is None:
            errors.append(f"seconds: must be a number of seconds or one number per item, got {seconds!r}")
            return None
        needed = self._per_item_seconds * answered
        if spent >= needed:
            return False
        errors.append(f"answered {answered} items in {spent:g} s; at least {needed:g} s expected "
                      f"({self._per_item_seconds:g} s per item): too fast to have read them")
        return True

    def _reversal_contradiction_table(self, items) -> dict:
        """For each answer value, whether giving it to every required item contradicts itself: true
        when a reversed item scores it differently from a plain one. The midpoint of a symmetric
        scale reverses to itself (PSS-10: 4 − 2 = 2), so answering it everywhere contradicts nothing."""
        required = [items[index] for index in self._required]
        reversed_items = [item for item in required if item.reverse]
        plain = [item for item in required if not item.reverse]
        values = {value for item in required for value in item.values}
        return {value: any(r.scored(value) != p.scored(value) for r in reversed_items for p in plain if value in r.values)
                for value in values}

    def _straight(self, row: list, errors: list[str]) -> bool:
        """One identical answer to every item, where reverse-scored items make that answer self-contradictory."""
        answers = {row[index] for index in self._required}
        if len(answers) != 1 or len(self._required) < 2 or not self._reversal_contradicts.get(row[self._required[0]]):
            return False
        errors.append(f"every one of the {len(self._required)} items has the same answer ({row[self._required[0]]}), "
                      "which the reverse-scored items contradict: straight-lining")
        return True


def _lookup(table: dict, value):
    try:
        return table.get(value, BAD)
    except TypeError:
        return BAD


def _seconds_spent(seconds) -> float | None:
    """Total seconds from a number or one number per item; None when that is not what was given."""
    if type(seconds) is float or type(seconds) is int:  # the usual case, checked first for speed
        return float(seconds) if seconds >= 0 else None
    values = seconds if isinstance(seconds, (list, tuple)) else (seconds,)
    if not all(isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 for value in values):
        return None
    return float(sum(values))
