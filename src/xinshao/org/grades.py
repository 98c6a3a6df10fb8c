"""Grade levels, their usual Chinese names, and which school kinds teach them.

Plain data and functions: used by the models, the roster import and the demo city.
"""
from django.utils.translation import gettext_lazy as _

# level code -> (display name, ordinal across schooling). Ordinals let a report sort grades.
LEVELS: dict[str, tuple[str, int]] = {
    "P1": ("一年级", 1), "P2": ("二年级", 2), "P3": ("三年级", 3),
    "P4": ("四年级", 4), "P5": ("五年级", 5), "P6": ("六年级", 6),
    "J1": ("初一", 7), "J2": ("初二", 8), "J3": ("初三", 9),
    "S1": ("高一", 10), "S2": ("高二", 11), "S3": ("高三", 12),
    "V1": ("职一", 10), "V2": ("职二", 11), "V3": ("职三", 12),
}
LEVEL_CHOICES = [(code, name) for code, (name, _ordinal) in LEVELS.items()]

PRIMARY = ("P1", "P2", "P3", "P4", "P5", "P6")
JUNIOR = ("J1", "J2", "J3")
SENIOR = ("S1", "S2", "S3")
VOCATIONAL = ("V1", "V2", "V3")

SCHOOL_KIND_LEVELS: dict[str, tuple[str, ...]] = {
    "primary": PRIMARY,
    "junior": JUNIOR,
    "senior": SENIOR,
    "nine_year": PRIMARY + JUNIOR,
    "twelve_year": PRIMARY + JUNIOR + SENIOR,
    "vocational": VOCATIONAL,
}
SCHOOL_KIND_CHOICES = [
    ("primary", _("小学")),
    ("junior", _("初级中学")),
    ("senior", _("高级中学")),
    ("nine_year", _("九年一贯制学校")),
    ("twelve_year", _("十二年一贯制学校")),
    ("vocational", _("中等职业学校")),
]

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_JUNIOR_BY_YEAR = {7: "J1", 8: "J2", 9: "J3"}


def _year_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    return _CN_DIGITS.get(text)


def parse_grade_name(raw: str) -> str | None:
    """The level code for a grade as schools write it, or None when it is not a grade.

    Accepts 一年级…九年级 (七～九年级 are junior years), 初一…初三, 高一…高三,
    职一…职三 and 中职一年级…中职三年级, with Arabic digits too (7年级, 高1).
    """
    text = raw.strip().replace(" ", "").replace("　", "")
    for prefix, levels in (("初", JUNIOR), ("高", SENIOR), ("职", VOCATIONAL)):
        if text.startswith(prefix) and len(text) == 2:
            year = _year_number(text[1])
            return levels[year - 1] if year in (1, 2, 3) else None
    if text.startswith("中职") and text.endswith("年级"):
        year = _year_number(text[2:-2])
        return VOCATIONAL[year - 1] if year in (1, 2, 3) else None
    if text.endswith("年级"):
        year = _year_number(text[:-2])
        if year is None or not 1 <= year <= 9:
            return None
        return PRIMARY[year - 1] if year <= 6 else _JUNIOR_BY_YEAR[year]
    return None


def level_name(level: str) -> str:
    return LEVELS[level][0]


def level_ordinal(level: str) -> int:
    return LEVELS[level][1]
