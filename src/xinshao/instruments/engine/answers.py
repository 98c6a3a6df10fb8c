"""Answers as people type them: a comma-separated list, or the cells of a CSV file.

A field is a whole number, or empty for a missing item. Anything else is passed on as the
text it is, so that the engine reports it with the item it belongs to.
"""
import csv
import re

WHOLE_NUMBER = re.compile(r"^[+-]?\d+$")


def parse_field(text: str):
    text = text.strip()
    if not text:
        return None
    return int(text) if WHOLE_NUMBER.match(text) else text


def parse_answer_text(text: str) -> list:
    """ "1,0,,2" -> [1, 0, None, 2] """
    return [parse_field(field) for field in text.split(",")]


def _result_columns(definition) -> list[str]:
    other_bands = [f"band_{entry.id}" for entry in (*definition.scores, *definition.transformed)
                   if entry.bands and entry.id != definition.primary_score]
    return ["valid", "total", *(score.id for score in definition.scores if score.kind == "subscale"),
            *(entry.id for entry in definition.transformed), "band", *other_bands,
            *(f"cutoff_{cutoff.id}" for cutoff in definition.cutoffs), "critical", "flags", "errors"]


def _result_row(definition, result: dict) -> list:
    bands = result["bands"]
    other_bands = [bands.get(entry.id) for entry in (*definition.scores, *definition.transformed)
                   if entry.bands and entry.id != definition.primary_score]
    return [result["valid"], result["total"], *result["subscales"].values(), *result["transformed"].values(),
            result["band"], *other_bands, *result["cutoffs"].values(),
            any(flag["critical"] for flag in result["flags"]),
            "; ".join(f"{flag['id']}@{flag['item'] or flag['band']}" for flag in result["flags"]),
            "; ".join(result["errors"])]


def _header_problem(definition, header: list[str]) -> str | None:
    missing = [item.id for item in definition.items if item.required and item.id not in header]
    repeated = sorted({name for name in header if header.count(name) > 1})
    if missing:
        expected = ", ".join(item.id for item in definition.items)
        return f"row 1 (header): missing column(s) {', '.join(missing)}; expected one column per item: {expected}"
    if repeated:
        return f"row 1 (header): column(s) {', '.join(repeated)} appear more than once"
    return None


def _row_answers(definition, header: list[str], fields: list[str]) -> tuple[list, object, list[str]]:
    """Answers, seconds and row-level problems (a wrong number of cells) for one data row."""
    problems = [] if len(fields) == len(header) else [f"{len(fields)} cells, but the header has {len(header)}"]
    cells = dict(zip(header, fields + [""] * (len(header) - len(fields))))
    answers = [parse_field(cells.get(item.id, "")) for item in definition.items]
    seconds_text = cells.get("seconds", "").strip()
    try:
        seconds = float(seconds_text) if seconds_text else None
    except ValueError:
        problems.append(f"seconds: {seconds_text!r} is not a number")
        seconds = None
    return answers, seconds, problems


def score_csv(definition, source, target) -> tuple[int, list[str]]:
    """Score every data row of `source` into `target`; (rows scored, problems with their row number).

    The header is row 1, as in a spreadsheet. Columns named like item ids are answers; an
    optional `seconds` column is the time the respondent took; other columns are copied.
    """
    reader = csv.reader(source)
    header = [name.strip() for name in next(reader, [])]
    if not header:
        return 0, ["the file is empty: expected a header row with one column per item id"]
    problem = _header_problem(definition, header)
    if problem:
        return 0, [problem]
    result_columns = _result_columns(definition)
    item_ids = {item.id for item in definition.items}
    copied = [name for name in header if name not in item_ids and name != "seconds" and name not in result_columns]
    writer = csv.writer(target)
    writer.writerow(["row", *copied, *result_columns])
    problems, count = [], 0
    for row_number, fields in enumerate(reader, start=2):
        if not any(field.strip() for field in fields):
            continue
        answers, seconds, row_problems = _row_answers(definition, header, fields)
        result = definition.score(answers, seconds=seconds)
        result["errors"][:0] = row_problems
        result["valid"] = result["valid"] and not row_problems
        if not result["valid"]:
            problems.append(f"row {row_number}: " + "; ".join(result["errors"]))
        cells = dict(zip(header, fields))
        writer.writerow([row_number, *(cells.get(name, "") for name in copied), *_result_row(definition, result)])
        count += 1
    return count, problems
