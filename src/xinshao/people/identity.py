"""Chinese resident identity numbers (公民身份号码), GB 11643-1999.

Eighteen characters: a 6-digit address code, the birth date as YYYYMMDD, a 3-digit
sequence number whose last digit is odd for men and even for women, and a check
character (0-9 or X) computed with the ISO 7064 MOD 11-2 scheme over the first 17.

Plain Python with no Django import, so the roster import, forms and later the API can all
share it. Callers turn the error codes into messages in the user's language.
"""
import datetime
import re
from dataclasses import dataclass

# Weight of each of the first 17 digits: 2^(17 - position) mod 11, position counted from 1.
WEIGHTS = tuple(pow(2, 17 - position, 11) for position in range(17))
# Check character for each remainder of the weighted sum modulo 11.
CHECK_CHARACTERS = "10X98765432"

_SHAPE = re.compile(r"\d{17}[\dX]")
# Fullwidth digits and X are common when a number is typed with a Chinese input method.
_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")
_SPACES = re.compile(r"[\s\u3000]+")

MALE, FEMALE = "M", "F"  # the values of xinshao.people.models.Gender


class IdNumberError(ValueError):
    """Why a string is not a valid identity number.

    code is one of: "length" (not 18 characters), "format" (not 17 digits and a digit or X),
    "birth_date" (the date part is not a real date), "checksum" (the last character does
    not match; `expected` holds the right one).
    """

    def __init__(self, code: str, expected: str = ""):
        super().__init__(code)
        self.code = code
        self.expected = expected


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: datetime.date
    gender: str  # MALE or FEMALE


def normalise_id_number(raw: str) -> str:
    """The number as stored: spaces removed, fullwidth characters and a lower-case x made plain."""
    return _SPACES.sub("", raw).translate(_FULLWIDTH).upper()


def check_character(first17: str) -> str:
    """The check character for the first 17 digits of an identity number."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("check_character needs exactly 17 digits")
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS))
    return CHECK_CHARACTERS[total % 11]


def parse_resident_id(raw: str) -> ResidentId:
    """The identity number's parts, or IdNumberError saying what is wrong with it."""
    number = normalise_id_number(raw)
    if len(number) != 18:
        raise IdNumberError("length")
    if not number.isascii() or not _SHAPE.fullmatch(number):
        raise IdNumberError("format")
    try:
        birth_date = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError("birth_date") from None
    expected = check_character(number[:17])
    if number[17] != expected:
        raise IdNumberError("checksum", expected=expected)
    return ResidentId(number=number, birth_date=birth_date, gender=MALE if int(number[16]) % 2 else FEMALE)
