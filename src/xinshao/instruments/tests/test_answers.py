"""Bad answers give clear errors, never an exception; answer text and CSV files."""
import csv
import io

import pytest

from xinshao.instruments.engine import parse_answer_text, score_csv


def test_answer_text_keeps_positions_and_blanks():
    assert parse_answer_text("1, 0,,2 ,x, 1.5") == [1, 0, None, 2, "x", "1.5"]


@pytest.mark.parametrize(("answers", "message"), [
    ([0, 0, 0, 0, 0, 0, 0, 4, 0], "item phq9_8 (answer 8): 4 is not an answer value; allowed: 0, 1, 2, 3"),
    ([0, 0, "x", 0, 0, 0, 0, 0, 0], "item phq9_3 (answer 3): 'x' is not an answer value"),
    ([0, 0, 1.5, 0, 0, 0, 0, 0, 0], "item phq9_3 (answer 3): 1.5 is not an answer value"),
    ([0, 0, -1, 0, 0, 0, 0, 0, 0], "item phq9_3 (answer 3): -1 is not an answer value"),
    ([0, [1], 0, 0, 0, 0, 0, 0, 0], "item phq9_2 (answer 2): [1] is not an answer value"),
    ([0] * 8, "expected 9 to 10 answers for phq9"),
    ([0] * 11, "got 11"),
])
def test_bad_answers_are_reported_with_the_item(score, answers, message):
    result = score("phq9", answers)
    assert result["valid"] is False and result["total"] is None and result["band"] is None
    assert any(message in error for error in result["errors"])


def test_whole_number_floats_are_accepted(score):
    assert score("phq9", [1.0] * 9)["total"] == 9


def test_too_fast_uses_two_seconds_per_answered_item(score):
    assert score("gad7", [1] * 7, seconds=14)["validity"]["too_fast"] is False
    result = score("gad7", [1] * 7, seconds=13.5)
    assert result["validity"]["too_fast"] is True and result["valid"] is False
    assert result["total"] == 7 and "too fast" in result["errors"][0]


def test_per_item_seconds_are_added_up(score):
    assert score("gad7", [1] * 7, seconds=[2] * 7)["validity"]["too_fast"] is False
    assert score("gad7", [1] * 7, seconds=[1] * 7)["validity"]["too_fast"] is True


def test_bad_seconds_are_an_error_not_an_exception(score):
    result = score("gad7", [1] * 7, seconds="soon")
    assert result["valid"] is False and result["validity"]["too_fast"] is None


def test_a_batch_scores_like_single_responses(library):
    gad7 = library.get("gad7")
    rows = [[1] * 7, [3, 3, 3, None, 2, 2, 2], [9] * 7]
    assert gad7.score_batch(rows) == [gad7.score(row) for row in rows]
    assert [r["validity"]["too_fast"] for r in gad7.score_batch(rows[:2], seconds=[1, 60])] == [True, False]


def _run_csv(library, text: str):
    target = io.StringIO()
    count, problems = score_csv(library.get("phq9"), io.StringIO(text), target)
    return count, problems, list(csv.DictReader(io.StringIO(target.getvalue())))


def test_csv_scores_each_row_and_reports_bad_rows_by_number(library):
    text = ("student,phq9_1,phq9_2,phq9_3,phq9_4,phq9_5,phq9_6,phq9_7,phq9_8,phq9_9\n"
            "A1,1,1,1,1,1,1,1,1,0\n"
            "A2,1,1,9,1,1,1,1,1,2\n"
            "\n"
            "A3,3,3,3,3,3,3,3,3,\n")
    count, problems, rows = _run_csv(library, text)
    assert count == 3
    assert [row["student"] for row in rows] == ["A1", "A2", "A3"]
    assert [(row["row"], row["total"], row["band"]) for row in rows] == [("2", "8", "mild"), ("3", "", ""), ("5", "", "")]
    assert problems[0].startswith("row 3: item phq9_3 (answer 3): 9 is not an answer value")
    assert problems[1].startswith("row 5: score 'total' is not given")
    assert rows[1]["critical"] == "True" and rows[1]["flags"] == "critical_self_harm_thoughts@phq9_9"
    assert rows[2]["flags"] == "critical_self_harm_thoughts_unanswered@phq9_9"


def test_csv_needs_a_column_per_required_item(library):
    count, problems, _ = _run_csv(library, "phq9_1,phq9_2\n1,1\n")
    assert count == 0 and problems[0].startswith("row 1 (header): missing column(s) phq9_3, phq9_4")


def test_csv_rows_with_the_wrong_number_of_cells(library):
    header = ",".join(f"phq9_{n}" for n in range(1, 10))
    _, problems, rows = _run_csv(library, f"{header}\n1,1,1,1,1,1,1,1,1,1,1\n")
    assert problems == ["row 2: 11 cells, but the header has 9"] and rows[0]["valid"] == "False"


def test_csv_empty_file(library):
    assert _run_csv(library, "")[1] == ["the file is empty: expected a header row with one column per item id"]
