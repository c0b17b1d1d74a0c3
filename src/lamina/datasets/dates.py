"""Human-readable dates and their ISO 8601 form, generated with a seed (the seq2seq recipe).

Each date is written in one of several formats ("3 May 1987", "Tuesday, May 3 1987",
"05/03/87" as month/day/year, "03.05.1987" as day.month.year, ...), in varied case; the
target is "1987-05-03". Years run from 1950 to 2049, so a two-digit year is unambiguous
(50-99 -> 19xx, 00-49 -> 20xx). ``make_dates`` draws distinct days, so that a test set
made from other days is disjoint from the training set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np

from lamina.errors import check_positive_int

__all__ = ["DATE_FORMATS", "format_date", "make_dates"]

_FIRST, _LAST = dt.date(1950, 1, 1).toordinal(), dt.date(2049, 12, 31).toordinal()
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _parts(d: dt.date) -> dict[str, str]:
    month, day = _MONTHS[d.month - 1], _DAYS[d.weekday()]
    return {
        "d": str(d.day),
        "dd": f"{d.day:02d}",
        "m": str(d.month),
        "mm": f"{d.month:02d}",
        "yy": f"{d.year % 100:02d}",
        "yyyy": str(d.year),
        "month": month,
        "mon": month[:3],
        "weekday": day,
        "wkd": day[:3],
    }


DATE_FORMATS: list[str] = [
    "{d} {month} {yyyy}",
    "{dd} {month} {yyyy}",
    "{d} {mon} {yyyy}",
    "{month} {d}, {yyyy}",
    "{mon} {d}, {yyyy}",
    "{weekday}, {month} {d} {yyyy}",
    "{wkd} {d} {mon} {yyyy}",
    "{weekday} {d} {month} {yyyy}",
    "{mm}/{dd}/{yy}",
    "{m}/{d}/{yyyy}",
    "{dd}.{mm}.{yyyy}",
    "{d}.{m}.{yy}",
    "{month} {dd} {yyyy}",
    "{yyyy} {month} {d}",
]
_CASES: list[Callable[[str], str]] = [str, str.lower, str.upper]


def format_date(date: dt.date, fmt: str, case: int = 0) -> str:
    """``date`` written in format ``fmt`` (one of DATE_FORMATS) and case 0 (as is), 1, 2."""
    return _CASES[case](fmt.format(**_parts(date)))


def make_dates(
    n: int, seed: int, exclude: set[int] | None = None
) -> tuple[list[str], list[str], set[int]]:
    """``n`` human-readable dates on distinct days (none in ``exclude``, day ordinals), their
    ISO 8601 forms, and the ordinals drawn."""
    check_positive_int("make_dates", n=n)
    rng = np.random.default_rng(seed)
    taken = set(exclude or ())
    days: list[int] = []
    while len(days) < n:
        for o in rng.integers(_FIRST, _LAST + 1, 2 * n):
            if len(days) < n and int(o) not in taken:
                taken.add(int(o))
                days.append(int(o))
    dates = [dt.date.fromordinal(o) for o in days]
    fmts = rng.integers(0, len(DATE_FORMATS), n)
    cases = rng.choice(3, n, p=[0.6, 0.2, 0.2])
    human = [format_date(d, DATE_FORMATS[f], c) for d, f, c in zip(dates, fmts, cases)]
    return human, [d.isoformat() for d in dates], set(days)
