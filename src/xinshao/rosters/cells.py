"""Reading one cell of a roster: each function returns the clean value or raises CellProblem.

Cells come as Excel gives them (text, numbers, real date cells) or as CSV text; both
are accepted in the forms schools actually type: 2013-05-02, 2013/5/2, 2013年5月2日,
a phone number with spaces or +86, a class written 1班, (1)班 or 初一(1)班.
"""
import datetime
import re

from xinshao.org.grades import level_name, parse_grade_name
from xinshao.people.identity import IdNumberError, normalise_id_number, parse_resident_id

MIN_AGE, MAX_AGE = 5, 25

_FULLWIDTH = str.maketrans("０１２３４５６７８９（）－＋．／　", "0123456789()-+./ ")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+0{1,2}:00(?::00)?)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_COUNTRY_PREFIX = re.compile(r"^(?:\+86|0086|86)(?=1[3-9]\d{9}$)")
# Area codes: 010 and 02x have 8-digit local numbers; the others (0xxx) have 7 or 8.
_LANDLINE = re.compile(
    r"\(?(?P<area>010|02\d|0[3-9]\d{2})\)?-?(?P<local>[2-9]\d{6,7})(?:(?:-|转|分机)(?P<ext>\d{1,6}))?"
)
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?E\+?\d+", re.IGNORECASE)
_CLASS_NUMBER = re.compile(r"\(?0*(\d{1,3})\)?班?")
_GENDERS = {"男": "M", "女": "F", "男性": "M", "女性": "F"}
_CHINESE_NAME = re.compile(r"[\u3400-\u9fff·•\s]+")


class CellProblem(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def cell_text(value) -> str:
    """A cell as the user sees it: numbers without a trailing .0, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\u3000", " ").strip()


def clean_person_name(text: str) -> str:
    """A person's name; lists often pad two-character Chinese names ("王  芳") to line up."""
    if _CHINESE_NAME.fullmatch(text):
        return re.sub(r"\s+", "", text)
    return re.sub(r"\s+", " ", text)


def parse_gender(text: str) -> str:
    gender = _GENDERS.get(text.replace(" ", ""))
    if gender is None:
        raise CellProblem("gender", value=text)
    return gender


def parse_birth_date(value, *, today: datetime.date) -> datetime.date:
    """A birth date from a date cell or text; real, not in the future, for an age of 5 to 25."""
    if isinstance(value, datetime.datetime):
        born = value.date()
    elif isinstance(value, datetime.date):
        born = value
    else:
        text = cell_text(value)
        match = _DATE.fullmatch(text.translate(_FULLWIDTH)) or _COMPACT_DATE.fullmatch(text)
        if match is None:
            raise CellProblem("date_format", value=text)
        try:
            born = datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise CellProblem("date_impossible", value=text) from None
    if born > today:
        raise CellProblem("date_future", value=born.isoformat())
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if not MIN_AGE <= age <= MAX_AGE:
        raise CellProblem("age_range", value=born.isoformat(), age=age)
    return born


def parse_grade(text: str, *, levels: tuple[str, ...]) -> str:
    """The level code of a grade name, which must be one the school teaches."""
    level = parse_grade_name(text)
    if level is None:
        raise CellProblem("grade_unknown", value=text)
    if level not in levels:
        raise CellProblem("grade_not_taught", value=text, allowed=[level_name(code) for code in levels])
    return level


def normalise_class_name(text: str, *, grade_text: str) -> str:
    """The class name as the platform keeps it: "1班" for 1, 01, (1)班, 初一(1)班 or 初一1班."""
    name = text.translate(_FULLWIDTH).replace(" ", "")
    grade = grade_text.replace(" ", "")
    if grade and name.startswith(grade) and len(name) > len(grade):
        name = name[len(grade):]
    match = _CLASS_NUMBER.fullmatch(name)
    return f"{int(match.group(1))}班" if match else name


def parse_phone(text: str) -> str:
    """A mainland mobile number (11 digits) or a landline with its area code, as 0571-87654321."""
    compact = re.sub(r"[\s.]", "", text.translate(_FULLWIDTH))
    mobile = _COUNTRY_PREFIX.sub("", compact.replace("-", ""))
    if _MOBILE.fullmatch(mobile):
        return mobile
    match = _LANDLINE.fullmatch(compact)
    if match is None or (len(match["area"]) == 3 and len(match["local"]) != 8):
        raise CellProblem("phone", value=text)
    extension = f"-{match['ext']}" if match["ext"] else ""
    return f"{match['area']}-{match['local']}{extension}"


def parse_national_id(value, *, birth_date: datetime.date | None, gender: str | None) -> str:
    """A resident ID number that is valid and agrees with the row's birth date and gender
    (each compared only when the row's own value is valid)."""
    text = cell_text(value)
    if (isinstance(value, (int, float)) and len(text) > 15) or _SCIENTIFIC.fullmatch(text):
        # Excel keeps numbers to 15 significant digits, so the last digits are already gone.
        raise CellProblem("id_as_number")
    try:
        resident = parse_resident_id(text)
    except IdNumberError as error:
        params = {"length": len(normalise_id_number(text))} if error.code == "length" else {}
        raise CellProblem(f"id_{error.code}", **params) from None
    if birth_date is not None and resident.birth_date != birth_date:
        raise CellProblem("id_birth_mismatch", id_date=resident.birth_date.isoformat(),
                          row_date=birth_date.isoformat())
    if gender is not None and resident.gender != gender:
        raise CellProblem("id_gender_male" if resident.gender == "M" else "id_gender_female")
    return resident.number
