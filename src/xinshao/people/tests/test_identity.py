"""Resident identity numbers, GB 11643-1999 (ISO 7064 MOD 11-2 check character)."""
import datetime

import pytest

from xinshao.people.identity import (
    FEMALE, MALE, WEIGHTS, IdNumberError, check_character, normalise_id_number, parse_resident_id,
)


def test_the_weights_are_those_of_the_standard():
    assert WEIGHTS == (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@pytest.mark.parametrize("first17,expected", [
    ("11010519491231002", "X"),  # the standard's own example
    ("44052418800101001", "4"),
    ("33010220130502002", "5"),
    ("33010220121103002", "X"),
])
def test_the_check_character_is_computed_mod_11_2(first17, expected):
    assert check_character(first17) == expected


def test_a_valid_number_gives_birth_date_and_gender():
    resident = parse_resident_id("11010519491231002X")
    assert resident.birth_date == datetime.date(1949, 12, 31)
    assert resident.gender == FEMALE
    assert parse_resident_id("330102201301150017").gender == MALE


def test_spaces_fullwidth_digits_and_a_lower_case_x_are_accepted():
    assert normalise_id_number(" 1101 0519 4912 3100 2x ") == "11010519491231002X"
    assert parse_resident_id("１１０１０５１９４９１２３１００２ｘ").number == "11010519491231002X"


@pytest.mark.parametrize("raw,code", [
    ("1101051949123100", "length"),
    ("11010519491231002XX", "length"),
    ("110105491231002", "length"),  # the old 15-digit numbers are no longer issued
    ("1101051949123100AX", "format"),
    ("X10105194912310021", "format"),
    ("110105194902300021", "birth_date"),
    ("110105194913010021", "birth_date"),
    ("110105194912310021", "checksum"),
])
def test_a_wrong_number_says_what_is_wrong(raw, code):
    with pytest.raises(IdNumberError) as caught:
        parse_resident_id(raw)
    assert caught.value.code == code


def test_a_wrong_check_character_names_the_right_one():
    with pytest.raises(IdNumberError) as caught:
        parse_resident_id("110105194912310021")
    assert caught.value.expected == "X"


@pytest.mark.parametrize("first17", ["１２３４５６７８９０１２３４５６７", "1234567890123456", "12345678901234567X"])
def test_the_check_character_needs_exactly_17_plain_digits(first17):
    with pytest.raises(ValueError):
        check_character(first17)


def test_every_single_digit_typo_is_caught():
    number = "330102201301150017"
    for position in range(17):
        for digit in "0123456789":
            if digit != number[position]:
                typo = number[:position] + digit + number[position + 1:]
                with pytest.raises(IdNumberError):
                    parse_resident_id(typo)
