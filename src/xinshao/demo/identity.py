"""Identity numbers and phone numbers that pass the checks real ones pass.

A resident identity number (GB 11643-1999) is 6 digits of region code, 8 of birth date,
3 of sequence (odd for men, even for women) and a check character computed over the 17.
"""
import datetime
import random

from xinshao.people.identity import check_character

# Mainland mobile prefixes in use (China Mobile, Unicom, Telecom).
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
                   "153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178",
                   "180", "181", "182", "183", "185", "186", "187", "188", "189", "191", "198", "199")


def national_id(rng: random.Random, *, region_code: str, birth_date: datetime.date, gender: str) -> str:
    sequence = rng.randrange(0, 500) * 2 + (1 if gender == "M" else 0)
    first17 = f"{region_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def mobile_number(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"
