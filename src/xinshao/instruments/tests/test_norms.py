"""Percentiles and T-scores from a norm table by grade x gender."""
import pytest

from xinshao.instruments.engine import NormTable, NormTableError

TABLE = {
    "instrument": "phqa", "score": "total", "source": "Test city, spring 2026",
    "groups": [
        {"grade": "7", "gender": "female", "n": 1000, "mean": 6.0, "sd": 4.0,
         "percentiles": [[0, 10.0], [5, 50.0], [10, 85.0], [15, 97.5]]},
    ],
}


def test_percentile_and_t_score(score):
    # total 12: highest listed score not above 12 is 10 -> 85th percentile; T = 50 + 10 x (12 - 6) / 4 = 65
    result = score("phqa", [3, 3, 3, 3, 0, 0, 0, 0, 0], norms=NormTable(TABLE), grade=7, gender="female")
    assert result["norm"] == {"score": "total", "grade": "7", "gender": "female", "n": 1000, "percentile": 85.0,
                              "t_score": 65.0, "source": "Test city, spring 2026"}


def test_no_matching_group_gives_no_norm(score):
    assert score("phqa", [0] * 9, norms=NormTable(TABLE), grade=8, gender="female")["norm"] is None


def test_a_table_for_another_instrument_is_refused(score):
    with pytest.raises(NormTableError):
        score("gad7", [0] * 7, norms=NormTable(TABLE), grade=7, gender="female")


@pytest.mark.parametrize(("change", "message"), [
    ({"sd": 0}, "sd must be a positive number"),
    ({"percentiles": [[0, 50.0], [5, 40.0]]}, "percentiles must rise"),
    ({"percentiles": [[0, 150.0]]}, "0 to 100"),
    ({"percentiles": [[0]]}, "[score, percentile] pairs"),
])
def test_bad_norm_tables_are_refused(change, message):
    table = {**TABLE, "groups": [{**TABLE["groups"][0], **change}]}
    with pytest.raises(NormTableError) as raised:
        NormTable(table)
    assert message in str(raised.value)
