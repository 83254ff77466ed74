"""WD: the working-day calendar of the Republic of Kazakhstan, one service for every deadline.

`holidays.KZ` knows public holidays, the days off moved by government decree and the
weekend days turned into working days; `WorkingDayOverride` rows add decrees the package
does not know yet and win over it.

Counting («в течение N рабочих дней со дня …») starts on the day after the event: the
event day itself is never day one. Recorded in docs/conformance.md (WD).
"""

import datetime as dt
import re
from functools import lru_cache

import holidays
from django.utils import translation

ONE_DAY = dt.timedelta(days=1)
# No rule of the Методика counts more than a few dozen working days; a longer search means
# a broken override table (every day marked a day off), not a real deadline.
_MAX_SEARCH_DAYS = 3660


@lru_cache(maxsize=1)
def _kz_holidays() -> holidays.HolidayBase:
    # Expands to new years on lookup; one instance for the process. Names in Kazakh: the
    # package has no Russian names, and its default English ones would show in a Russian UI.
    return holidays.country_holidays("KZ", language="kk")


# The package names holidays in Kazakh (and English), not Russian: the Russian interface
# shows these names; the Kazakh interface shows the package's own.
_RU_HOLIDAYS = {
    "Жаңа жыл": "Новый год",
    "Православиелік Рождество": "Православное Рождество",
    "Халықаралық әйелдер күні": "Международный женский день",
    "Наурыз мейрамы": "Наурыз мейрамы",
    "Қазақстан халқының бірлігі мерекесі": "Праздник единства народа Казахстана",
    "Отан Қорғаушы күні": "День защитника Отечества",
    "Жеңіс күні": "День Победы",
    "Астана күні": "День столицы",
    "Қазақстан Республикасының Конституциясы күні": "День Конституции Республики Казахстан",
    "Қазақстан Республикасы күні": "День Республики",
    "Республика күні": "День Республики",
    "Қазақстан Республикасының Тұңғыш Президенті күні": "День Первого Президента Республики Казахстан",
    "Тәуелсіздік күні": "День Независимости",
    "Құрбан айт": "Курбан айт",
}
_RU_SUFFIXES = (
    (re.compile(r"\s*\(қайта белгіленген демалыс\)$"), " (перенесённый выходной)"),
    (re.compile(r"\s*\(бағаланған\)$"), " (дата ориентировочная)"),
)
_MOVED_DAY_OFF = re.compile(r"^Демалыс күні \((\d{2}\.\d{2}\.\d{4}) бастап ауыстырылды\)$")


def _russian_holiday_name(name: str) -> str:
    moved = _MOVED_DAY_OFF.match(name)
    if moved:
        return f"Выходной день (перенесён с {moved.group(1)})"
    suffix = ""
    for pattern, russian in _RU_SUFFIXES:
        if pattern.search(name):
            name, suffix = pattern.sub("", name), russian
    return _RU_HOLIDAYS.get(name, name) + suffix


def holiday_display_name(name: str) -> str:
    """A holiday name of the package in the interface language (Kazakh names kept in kk)."""
    if (translation.get_language() or "ru").startswith("kk"):
        return name
    return "; ".join(_russian_holiday_name(part) for part in name.split("; "))


class WorkingCalendar:
    def __init__(self, overrides: dict[dt.date, bool] | None = None):
        self.overrides = dict(overrides or {})
        self._kz = _kz_holidays()

    @classmethod
    def load(cls) -> "WorkingCalendar":
        """The calendar with the overrides entered by the chief specialist (one query, once
        per request: appraisal.request_memo)."""
        from appraisal.models import WorkingDayOverride
        from appraisal.request_memo import memoised

        overrides = memoised(("working_day_overrides",),
                             lambda: dict(WorkingDayOverride.objects.values_list("date", "is_working")))
        return cls(overrides)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return self._kz.is_working_day(day)

    def holiday_name(self, day: dt.date) -> str | None:
        name = self._kz.get(day)
        return holiday_display_name(name) if name else None

    def add_working_days(self, event: dt.date, count: int) -> dt.date:
        """The last day of «в течение `count` рабочих дней со дня `event`»."""
        if count < 1:
            raise ValueError("count must be at least 1")
        day, found = event, 0
        for _ in range(_MAX_SEARCH_DAYS):
            day += ONE_DAY
            if self.is_working_day(day):
                found += 1
                if found == count:
                    return day
        raise RuntimeError("no working days found: check the working-day overrides")

    def working_days_before(self, deadline: dt.date, count: int) -> dt.date:
        """«не позднее `count` рабочих дней до `deadline`»: the `count`-th working day
        counted back from the day before `deadline` (R22.6)."""
        if count < 1:
            raise ValueError("count must be at least 1")
        day, found = deadline, 0
        for _ in range(_MAX_SEARCH_DAYS):
            day -= ONE_DAY
            if self.is_working_day(day):
                found += 1
                if found == count:
                    return day
        raise RuntimeError("no working days found: check the working-day overrides")

    def count_working_days(self, first: dt.date, last: dt.date) -> int:
        """Working days from `first` to `last`, both included."""
        total, day = 0, first
        while day <= last:
            total += self.is_working_day(day)
            day += ONE_DAY
        return total

    def is_within_working_days(self, event: dt.date, count: int, day: dt.date) -> bool:
        """Whether `day` is still within «N рабочих дней со дня `event`»."""
        return day <= self.add_working_days(event, count)
