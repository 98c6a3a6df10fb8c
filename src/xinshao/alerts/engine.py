"""Warning rules as data, and how they grade a signal. Plain Python: no Django import.

A rule set is a dict (stored as JSON, versioned by the caller). The city's set holds the
defaults; a school's set may only be stricter: `looser_points(city, school)` lists every
place where it is not, and `strictest(city, school)` is what applies to the school, so a
school that was strict enough yesterday never ends up looser when the city tightens a rule.

Levels rise yellow → orange → red. A signal's level comes from its source's rule; two
independent channels about the same student within `corroboration.window_days` raise the
level by `corroboration.raise_by`.
"""
from dataclasses import dataclass, field

LEVELS = ("yellow", "orange", "red")
_RANK = {None: 0, "yellow": 1, "orange": 2, "red": 3}
CONCERN_LEVELS = ("none", "some", "serious")
HOTLINE_RISKS = ("low", "medium", "high", "imminent")

# Defaults from the instruments' published guidance (see docs/early-warning.md):
# - any critical item (ASQ yes, PHQ-A/PHQ-9 item 9 above 0) needs a same-day safety assessment: red;
# - ASQ acute positive is imminent risk: red; non-acute positive needs a brief assessment: orange;
# - PHQ-A/PHQ-9 15+ (moderately severe, severe) and GAD-7 15+ (severe): orange; 10-14: yellow;
# - a rise of 5 points on the PHQ is the published threshold of clinically significant change.
DEFAULT_RULES: dict = {
    "level_names": {"red": "红色预警", "orange": "橙色预警", "yellow": "黄色预警"},
    "critical_item": "red",
    "screening_bands": {
        "asq": {"acute_positive": "red", "non_acute_positive": "orange"},
        "phqa": {"moderate": "yellow", "moderately_severe": "orange", "severe": "orange"},
        "phq9": {"moderate": "yellow", "moderately_severe": "orange", "severe": "orange"},
        "gad7": {"moderate": "yellow", "severe": "orange"},
        "cesdc": {"positive": "yellow"},
        "scared": {"anxiety_disorder_possible": "yellow", "anxiety_disorder_likely": "yellow"},
        "k6": {"serious_distress": "orange", "moderate_distress": "yellow"},
        "k10": {"very_high": "orange", "high": "yellow"},
        "who5": {"likely_depression": "yellow"},
        "phq2": {"positive": "yellow"},
        "gad2": {"positive": "yellow"},
    },
    "worsening": {"level": "yellow", "min_rise": {"phqa": 5, "phq9": 5, "gad7": 5, "cesdc": 10, "scared": 10}},
    "sources": {
        "committee_report": {"level": "yellow", "concerns": {"self_harm_talk": "red", "injury_marks": "orange",
                                                             "bullied": "orange"}},
        "self_checkin": {"level": "yellow", "mood_at_most": 1, "stress_at_least": 5, "wants_talk": "yellow"},
        "home_visit": {"concern": {"some": "yellow", "serious": "orange"},
                       "concerns": {"self_harm_talk": "red", "injury_marks": "orange"}},
        "parent_meeting": {"concern": {"some": "yellow", "serious": "orange"},
                           "concerns": {"self_harm_talk": "red", "injury_marks": "orange"}},
        "guardian_concern": {"level": "yellow", "concerns": {"self_harm_talk": "red", "injury_marks": "orange"}},
        "teacher_referral": {"level": "orange", "urgent": "red", "concerns": {"self_harm_talk": "red"}},
        "hotline_call": {"risk": {"medium": "yellow", "high": "orange", "imminent": "red"}},
    },
    "corroboration": {"window_days": 30, "raise_by": 1},
    # Minutes to acknowledge, then minutes each escalation step waits before the next one.
    "ack_minutes": {"red": 30, "orange": 240, "yellow": 1440},
    "escalate_after_minutes": {"red": 30, "orange": 240, "yellow": 1440},
}


@dataclass(frozen=True)
class Reason:
    """Why a signal has its level, as a code and values; the caller words it for people."""
    code: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Grade:
    level: str | None
    reasons: tuple[Reason, ...]


def rank(level: str | None) -> int:
    return _RANK[level]


def higher(*levels: str | None) -> str | None:
    return max(levels, key=rank, default=None)


def raised(level: str | None, by: int) -> str | None:
    if level is None or by <= 0:
        return level
    return LEVELS[min(LEVELS.index(level) + by, len(LEVELS) - 1)]


# --- grading -------------------------------------------------------------------------------

def _concern_grade(rule: dict, concerns: list[str], base: str | None) -> Grade:
    levels = [base] + [rule.get("concerns", {}).get(c) for c in concerns]
    worst = higher(*levels)
    named = [c for c in concerns if rule.get("concerns", {}).get(c) == worst and worst != base]
    reasons = (Reason("concerns", {"concerns": list(concerns), "decisive": named}),) if worst else ()
    return Grade(worst, reasons)


def _grade_screening(rules: dict, facts: dict) -> Grade:
    reasons, levels = [], []
    for flag in facts.get("critical", []):
        levels.append(rules["critical_item"])
        reasons.append(Reason("critical_item", {"instrument": facts["short"], "item": flag.get("item"),
                                                "answer": flag.get("answer"), "flag": flag["flag"]}))
    band_level = rules["screening_bands"].get(facts["instrument"], {}).get(facts.get("band") or "")
    if band_level:
        levels.append(band_level)
        reasons.insert(0, Reason("band", {"instrument": facts["short"], "total": facts.get("total"),
                                          "band": facts.get("band"), "band_label": facts.get("band_label", "")}))
    return Grade(higher(*levels), tuple(reasons))


def _grade_worsening(rules: dict, facts: dict) -> Grade:
    rule = rules["worsening"]
    threshold = rule["min_rise"].get(facts["instrument"])
    if threshold is None or facts["total"] - facts["previous_total"] < threshold:
        return Grade(None, ())
    return Grade(rule["level"], (Reason("worsening", {"instrument": facts["short"], "previous": facts["previous_total"],
                                                      "total": facts["total"], "rise": facts["total"] - facts["previous_total"],
                                                      "previous_term": facts.get("previous_term", "")}),))


def _grade_checkin(rule: dict, facts: dict) -> Grade:
    levels, reasons = [], []
    if facts["mood"] <= rule["mood_at_most"]:
        levels.append(rule["level"])
        reasons.append(Reason("low_mood", {"mood": facts["mood"]}))
    if facts["stress"] >= rule["stress_at_least"]:
        levels.append(rule["level"])
        reasons.append(Reason("high_stress", {"stress": facts["stress"]}))
    if facts.get("wants_talk") and rule.get("wants_talk"):
        levels.append(rule["wants_talk"])
        reasons.append(Reason("wants_talk"))
    return Grade(higher(*levels), tuple(reasons))


def _grade_record(rule: dict, facts: dict) -> Grade:
    base = rule["concern"].get(facts.get("concern", "none"))
    grade = _concern_grade(rule, facts.get("concerns", []), base)
    reasons = (Reason("record_concern", {"concern": facts.get("concern", "none")}),) if base else ()
    return Grade(grade.level, reasons + grade.reasons)


def _grade_referral(rule: dict, facts: dict) -> Grade:
    base = rule["urgent"] if facts.get("urgent") else rule["level"]
    grade = _concern_grade(rule, facts.get("concerns", []), base)
    return Grade(grade.level, (Reason("referral", {"urgent": bool(facts.get("urgent"))}),) + grade.reasons)


def _grade_hotline(rule: dict, facts: dict) -> Grade:
    level = rule["risk"].get(facts["risk"])
    return Grade(level, (Reason("hotline_risk", {"risk": facts["risk"]}),) if level else ())


def grade(rules: dict, source: str, facts: dict) -> Grade:
    """The level one signal has on its own, and why (level None: below every rule)."""
    if source == "screening_result":
        return _grade_screening(rules, facts)
    if source == "screening_worsening":
        return _grade_worsening(rules, facts)
    rule = rules["sources"][source]
    if source == "self_checkin":
        return _grade_checkin(rule, facts)
    if source in ("home_visit", "parent_meeting"):
        return _grade_record(rule, facts)
    if source == "teacher_referral":
        return _grade_referral(rule, facts)
    if source == "hotline_call":
        return _grade_hotline(rule, facts)
    return _concern_grade(rule, facts.get("concerns", []), rule["level"])


def corroborated(rules: dict, level: str | None, channels: set[str]) -> tuple[str | None, bool]:
    """The level once independent channels agree; True when they raised it."""
    if level is None or len(channels) < 2:
        return level, False
    new_level = raised(level, rules["corroboration"]["raise_by"])
    return new_level, new_level != level


# --- strictness ----------------------------------------------------------------------------
# Each leaf of a rule set is compared by kind: a level (higher is stricter), a number where
# lower is stricter (thresholds to rise, minutes), or a number where higher is stricter.
_LOWER_IS_STRICTER = {"min_rise", "stress_at_least", "ack_minutes", "escalate_after_minutes"}
_HIGHER_IS_STRICTER = {"mood_at_most", "window_days", "raise_by"}


def value_kind(path: tuple[str, ...]) -> str:
    """How a rule value compares: "lower" or "higher" is stricter, or "level" (a grade)."""
    if any(part in _LOWER_IS_STRICTER for part in path):
        return "lower"
    if any(part in _HIGHER_IS_STRICTER for part in path):
        return "higher"
    return "level"


def leaves(tree: dict, path: tuple[str, ...] = ()):
    """Every (path, value) of a rules tree, depth first."""
    for key, value in tree.items():
        if isinstance(value, dict):
            yield from leaves(value, path + (key,))
        else:
            yield path + (key,), value


def value_at(tree: dict, path: tuple[str, ...]):
    """The value at a path of a rules tree, or None."""
    for part in path:
        if not isinstance(tree, dict) or part not in tree:
            return None
        tree = tree[part]
    return tree


def _stricter(kind: str, a, b):
    """The stricter of two values of one leaf (None: the rule is absent)."""
    if a is None or b is None:
        return a if b is None else b if a is None else None
    if kind == "level":
        return higher(a, b)
    return min(a, b) if kind == "lower" else max(a, b)


def looser_points(city: dict, school: dict) -> list[str]:
    """Every rule where the school's set is looser than the city's, as a dotted path."""
    found = []
    for path, city_value in leaves({k: v for k, v in city.items() if k != "level_names"}):
        school_value = value_at(school, path)
        if school_value is None or _stricter(value_kind(path), city_value, school_value) != school_value:
            found.append(".".join(path))
    return found


def strictest(city: dict, school: dict | None) -> dict:
    """The rules a school works under: for every rule, the stricter of the city's and the school's."""
    if not school:
        return city
    merged: dict = {}
    paths = {path for path, _ in leaves(city)} | {path for path, _ in leaves(school)}
    for path in sorted(paths):
        value = value_at(city, path) if path[0] == "level_names" else _stricter(value_kind(path), value_at(city, path),
                                                                             value_at(school, path))
        if value is None:
            continue
        node = merged
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return merged


# --- validation ----------------------------------------------------------------------------
_REQUIRED = ("level_names", "critical_item", "screening_bands", "worsening", "sources", "corroboration",
             "ack_minutes", "escalate_after_minutes")
_SOURCES = ("committee_report", "self_checkin", "home_visit", "parent_meeting", "guardian_concern",
            "teacher_referral", "hotline_call")


def _positive_number_problems(path: str, value, *, minimum: int = 1) -> list[str]:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        return [f"{path}: {value!r} must be a whole number of at least {minimum}"]
    return []


def rule_problems(rules) -> list[str]:
    """What is wrong with a rule set, each with its place; empty when it can be used."""
    if not isinstance(rules, dict):
        return ["the rules must be a JSON object"]
    problems = [f"{key}: missing" for key in _REQUIRED if key not in rules]
    problems += [f"{key}: unknown setting" for key in rules if key not in _REQUIRED]
    if problems:
        return problems
    for path, value in leaves(rules):
        dotted, kind = ".".join(path), value_kind(path)
        if path[0] == "level_names":
            if path[-1] not in LEVELS or not isinstance(value, str) or not value.strip() or len(value) > 20:
                problems.append(f"{dotted}: a name of 1-20 characters for red, orange or yellow")
        elif kind == "level" and value not in LEVELS:
            problems.append(f"{dotted}: {value!r} is not a level (red, orange, yellow)")
        elif kind != "level":
            problems += _positive_number_problems(dotted, value, minimum=0 if path[-1] == "raise_by" else 1)
    problems += [f"level_names.{level}: missing" for level in LEVELS if level not in rules["level_names"]]
    problems += [f"sources.{source}: missing" for source in _SOURCES if source not in rules["sources"]]
    problems += [f"sources.{source}: unknown source" for source in rules["sources"] if source not in _SOURCES]
    for table in ("ack_minutes", "escalate_after_minutes"):
        problems += [f"{table}.{level}: missing" for level in LEVELS if level not in rules[table]]
    return problems
