"""The shape of the demo city, decided before anything is written: districts, schools, class sizes.

明州市 is fictional; its region codes follow GB/T 2260 (districts 02–20, counties 21–80)
under a prefix no real city uses, so identity numbers built on them are well formed.
"""
import math
import random
from dataclasses import dataclass, field

from xinshao.demo.names import PLACES, ROADS, VOCATIONS, chinese_number
from xinshao.org.grades import SCHOOL_KIND_LEVELS

CITY_CODE = "331200"
CITY_NAME = "明州市"
CITY_SHORT = "明州"
# code, name, kind, share of the city's schools
DISTRICTS = (
    ("331202", "东湖区", "district", 16), ("331203", "西山区", "district", 14),
    ("331204", "南浦区", "district", 12), ("331205", "北岸区", "district", 10),
    ("331211", "江口区", "district", 9), ("331212", "新城区", "district", 8),
    ("331225", "云溪县", "county", 6), ("331226", "象岭县", "county", 5),
)
KINDS = tuple(SCHOOL_KIND_LEVELS)
# Share of each kind among a city's schools, typical size, and how many of them are private.
KIND_SHARE = {"primary": 45, "junior": 22, "senior": 10, "nine_year": 12, "twelve_year": 3, "vocational": 8}
KIND_SIZE = {"primary": 900, "junior": 850, "senior": 1500, "nine_year": 1100, "twelve_year": 1800,
             "vocational": 1200}
PRIVATE_SHARE = {"primary": 0.10, "junior": 0.18, "senior": 0.12, "nine_year": 0.25, "twelve_year": 0.8,
                 "vocational": 0.2}
TYPICAL_CLASS_SIZE = 43
MIN_AVERAGE_SCHOOL_SIZE = 20  # leaves every grade of every school at least one student
MAX_AVERAGE_SCHOOL_SIZE = 3000


@dataclass(frozen=True)
class DistrictPlan:
    code: str
    name: str
    kind: str


@dataclass
class SchoolPlan:
    code: str
    name: str
    kind: str
    ownership: str
    district: DistrictPlan
    address: str
    # level -> the size of each class of that grade, in class order (1班, 2班, ...)
    classes: dict[str, list[int]] = field(default_factory=dict)


def apportion(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder), each share at least `minimum`."""
    spare = total - minimum * len(weights)
    exact = [spare * weight / sum(weights) for weight in weights]
    shares = [math.floor(value) for value in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[: spare - sum(shares)]:
        shares[i] += 1
    return [share + minimum for share in shares]


_PRIVATE_SUFFIX = {"primary": "双语小学", "junior": "育才中学", "senior": "高级中学", "nine_year": "实验学校",
                   "twelve_year": "外国语学校", "vocational": "职业技术学校"}
_PLACE_SUFFIXES = {"primary": ("小学", "中心小学"), "junior": ("中学", "初级中学"), "senior": ("高级中学",),
                   "nine_year": ("学校", "实验学校"), "twelve_year": ("实验学校",), "vocational": ("职业技术学校",)}
_DISTRICT_SUFFIX = {"primary": "实验小学", "junior": "实验中学", "senior": "高级中学", "nine_year": "实验学校",
                    "twelve_year": "实验学校", "vocational": "职业高级中学"}


class _SchoolNamer:
    """Unique, plausible school names: 青林小学, 青林第二小学, 明州市第三中学, 明州月湖外国语学校."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()
        self.city_senior_number = 0

    def _unique(self, stem: str, suffix: str) -> str:
        name, number = stem + suffix, 1
        while name in self.used:
            number += 1
            name = f"{stem}第{chinese_number(number)}{suffix}"
        self.used.add(name)
        return name

    def name(self, kind: str, private: bool, district: DistrictPlan) -> str:
        place, pick = self.rng.choice(PLACES), self.rng.random()
        if private:
            return self._unique(CITY_SHORT + place, _PRIVATE_SUFFIX[kind])
        if kind == "senior" and pick < 0.6:
            self.city_senior_number += 1
            return self._unique(f"{CITY_NAME}第{chinese_number(self.city_senior_number)}", "中学")
        if kind == "vocational" and pick < 0.6:
            return self._unique(CITY_NAME + self.rng.choice(VOCATIONS), "职业技术学校")
        if pick < 0.8:
            return self._unique(place, self.rng.choice(_PLACE_SUFFIXES[kind]))
        return self._unique(district.name, _DISTRICT_SUFFIX[kind])


def _kinds(rng: random.Random, schools: int) -> list[str]:
    """Every kind once, then the rest in the proportions of a real city."""
    extra = rng.choices(KINDS, weights=[KIND_SHARE[kind] for kind in KINDS], k=schools - len(KINDS))
    return list(KINDS) + extra


def plan_city(rng: random.Random, *, schools: int, students: int) -> list[SchoolPlan]:
    districts = [DistrictPlan(code, name, kind) for code, name, kind, _share in DISTRICTS]
    district_shares = [share for *_plan, share in DISTRICTS]
    namer = _SchoolNamer(rng)
    plans = []
    for number, kind in enumerate(_kinds(rng, schools), start=1):
        # The first schools, one of each kind, sit in different districts; the twelve-year
        # one is private, as most such schools are, so the small city has both.
        if number <= len(KINDS):
            district, private = districts[(number - 1) % len(districts)], kind == "twelve_year"
        else:
            district = rng.choices(districts, weights=district_shares)[0]
            private = rng.random() < PRIVATE_SHARE[kind]
        address = f"{CITY_NAME}{district.name}{rng.choice(ROADS)}路{rng.randint(1, 399)}号"
        plans.append(SchoolPlan(
            code=f"S{number:03d}", name=namer.name(kind, private, district), kind=kind,
            ownership="private" if private else "public", district=district, address=address,
        ))
    _plan_classes(rng, plans, students)
    return plans


def _plan_classes(rng: random.Random, plans: list[SchoolPlan], students: int) -> None:
    """Schools run a whole number of classes per grade (几轨); the city's students fill them evenly.

    A school's share of the students decides how many classes each of its grades has; then
    every class gets close to the city's average, which is about TYPICAL_CLASS_SIZE once the
    city is big enough for its schools to have several classes per grade.
    """
    weights = [KIND_SIZE[plan.kind] * (0.7 if plan.ownership == "private" else 1.0) * rng.uniform(0.6, 1.4)
               for plan in plans]
    counts = []
    for plan, weight in zip(plans, weights):
        levels = SCHOOL_KIND_LEVELS[plan.kind]
        per_grade = students * weight / sum(weights) / len(levels)
        counts.append({level: max(1, round(per_grade * rng.uniform(0.85, 1.15) / TYPICAL_CLASS_SIZE))
                       for level in levels})
    slots = [(plan, level) for plan, per_level in zip(plans, counts) for level, count in per_level.items()
             for _class in range(count)]
    sizes = apportion(students, [rng.uniform(0.94, 1.06) for _slot in slots], minimum=1)
    for plan in plans:
        plan.classes = {level: [] for level in SCHOOL_KIND_LEVELS[plan.kind]}
    for (plan, level), size in zip(slots, sizes):
        plan.classes[level].append(size)
