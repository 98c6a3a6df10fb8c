"""The school calendar the demo city is built around.

The school year starts on 1 September. The first term runs to late January, the second from
late February to early July; a reference date in the summer holidays belongs to the second
term of the year that is ending. Children start 一年级 in the September after they turn six
(cut-off 31 August), so a grade's birth dates span one September-to-August year.
"""
import datetime
from dataclasses import dataclass

from xinshao.org.grades import level_ordinal

# The first level of each stage: classes are formed when a stage starts and keep their pupils.
_STAGE_FIRST_ORDINAL = {"P": 1, "J": 7, "S": 10, "V": 10}
STAGE_DIGIT = {"P": "1", "J": "2", "S": "3", "V": "4"}


@dataclass(frozen=True)
class TermDates:
    name: str
    starts_on: datetime.date
    ends_on: datetime.date


@dataclass(frozen=True)
class SchoolYear:
    start_year: int      # 2026 for the 2026-2027 school year
    second_term: bool    # the reference date falls in the second term (or the summer after it)

    @classmethod
    def on(cls, day: datetime.date) -> "SchoolYear":
        start_year = day.year if day.month >= 9 else day.year - 1
        return cls(start_year=start_year, second_term=2 <= day.month <= 8)

    def _term(self, start_year: int, second: bool) -> TermDates:
        label = f"{start_year}-{start_year + 1}学年第{'二' if second else '一'}学期"
        if second:
            return TermDates(label, datetime.date(start_year + 1, 2, 20), datetime.date(start_year + 1, 7, 10))
        return TermDates(label, datetime.date(start_year, 9, 1), datetime.date(start_year + 1, 1, 20))

    @property
    def current_term(self) -> TermDates:
        return self._term(self.start_year, self.second_term)

    @property
    def previous_term(self) -> TermDates:
        if self.second_term:
            return self._term(self.start_year, second=False)
        return self._term(self.start_year - 1, second=True)

    def birth_window(self, level: str) -> tuple[datetime.date, datetime.date]:
        """First and last birth date of the children in `level` this school year."""
        entered_primary = self.start_year - (level_ordinal(level) - 1)
        return datetime.date(entered_primary - 7, 9, 1), datetime.date(entered_primary - 6, 8, 31)

    def stage_entry_year(self, level: str) -> int:
        """The year this level's pupils started its stage (primary, junior, senior, vocational)."""
        return self.start_year - (level_ordinal(level) - _STAGE_FIRST_ORDINAL[level[0]])
