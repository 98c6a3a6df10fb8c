import json
import sys

from django.core.management.base import BaseCommand

from xinshao.instruments.engine import UnknownInstrument, parse_answer_text, score_csv
from xinshao.instruments.management.commands._help import RawHelpFormatter
from xinshao.instruments.management.commands._migrations import exit_unless_migrated
from xinshao.instruments.selectors import instrument_definition_get

INVALID = 2


class Command(BaseCommand):
    help = """Score answers with an instrument of the library. One response (--answers) or a CSV file (--csv IN --out OUT).

Answers: --answers "v1,v2,..." gives one value per item, in item order (`xinshao instruments`
and docs/instruments.md list each instrument's items and values): 0-3 for PHQ/GAD items,
1 = yes and 0 = no for yes/no items (ASQ). An empty field is a missing item: "1,,0".
Trailing optional items (the PHQ-9/GAD-7 difficulty question, the PHQ-A supplementary
questions, ASQ question 5) may be left off; any other count of answers is an error.

Rules applied: totals and subscales as the instrument's definition cites them; reverse-scored
items count from the other end; missing items are prorated (rounded half up) or make the
score unavailable, as the instrument's published or project rule says; a critical item is
never prorated. Critical flags (ids starting with "critical") are raised whenever a critical
answer is positive, even when the rest of the response is invalid: PHQ-9/PHQ-A item 9 above 0
(left blank: critical_self_harm_thoughts_unanswered, total withheld), any ASQ yes, and an ASQ
refusal (blank), which counts as yes. ASQ bands: negative, non_acute_positive, acute_positive
(question 5 yes, or blank after a positive screen).

Output: one JSON object with instrument, version, definition_sha256, valid, total, subscales,
transformed, band, bands, cutoffs, flags, validity, errors and norm. Out-of-range, non-numeric
or wrongly counted answers give valid: false with the reasons in errors; so do too many
missing items, too little time (--seconds under 2 s per answered item) and straight-lining.

CSV: a header row with one column per item id (e.g. phq9_1 ... phq9_9); an optional column
`seconds` is the time taken; other columns (e.g. a respondent number) are copied to OUT.
OUT gets one result row per data row. Rows are numbered as in a spreadsheet, the header being
row 1; every invalid row is reported on stderr by its number.

Exit status: 0 when every response is valid; 2 when any is not, when the instrument or a
file cannot be read, or when the database was never migrated (run `xinshao migrate` first).
"""

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser(prog_name, subcommand, formatter_class=RawHelpFormatter, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("instrument", help="instrument id, e.g. phq9, phqa, gad7, asq (see `xinshao instruments`)")
        parser.add_argument("--definition-version", help="score with this version of the definition (default: the highest)")
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--answers", help='comma-separated answers in item order, e.g. "0,1,2,,3"')
        source.add_argument("--csv", metavar="IN", help="CSV file with one column per item id")
        parser.add_argument("--out", metavar="OUT", help="where --csv writes its results (required with --csv)")
        parser.add_argument("--seconds", type=float, help="with --answers: seconds the respondent took, for the too-fast check")

    def handle(self, *args, instrument, definition_version, answers, csv, out, seconds, **options):
        exit_unless_migrated(self)
        try:
            definition = instrument_definition_get(instrument_id=instrument, version=definition_version)
        except UnknownInstrument as error:
            self._fail(str(error))
        if answers is not None:
            self._score_answers(definition, answers, seconds)
        elif out is None:
            self._fail("--out OUT is required with --csv IN")
        else:
            self._score_file(definition, csv, out)

    def _score_answers(self, definition, answers: str, seconds) -> None:
        result = definition.score(parse_answer_text(answers), seconds=seconds)
        self.stdout.write(json.dumps(result, ensure_ascii=False))
        if not result["valid"]:
            sys.exit(INVALID)

    def _score_file(self, definition, source_path: str, target_path: str) -> None:
        try:
            with open(source_path, encoding="utf-8-sig", newline="") as source, \
                    open(target_path, "w", encoding="utf-8", newline="") as target:
                count, problems = score_csv(definition, source, target)
        except (OSError, UnicodeDecodeError) as error:
            self._fail(f"cannot read or write the file: {error}")
        for problem in problems:
            self.stderr.write(problem)
        self.stdout.write(f"{definition.id} {definition.version}: scored {count} rows from {source_path} into "
                          f"{target_path}; {len(problems)} with problems")
        if problems:
            sys.exit(INVALID)

    def _fail(self, message: str):
        self.stderr.write(message)
        sys.exit(INVALID)
