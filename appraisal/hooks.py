"""The two places where chapter apps plug into the shared core, registered explicitly in
their AppConfig.ready() rather than through signals, so that a reader can find them:

- `schedule_approved`: R10 opens a period's evaluation; e.g. ranking creates its sheets.
- `tick`: the periodic tick (appraisal.tasks.tick) asks each app for what is due today.
- `entry_visibility`: R20 names, besides the person, the evaluator and the chief specialist,
  the participants of a calibration session (and chapter 6 adds the Commission's members
  for the sheets of their meeting). An app registers a function user -> Q over
  ScheduleEntry, of the form Q(pk__in=<subquery of entry ids>) so that no join multiplies
  the rows; appraisal.selectors.schedule_entries_visible_to ORs them in.
"""

from collections.abc import Callable

_schedule_approved: list[Callable] = []
_tick: list[Callable] = []
_entry_visibility: list[Callable] = []


def on_schedule_approved(func: Callable) -> Callable:
    if func not in _schedule_approved:
        _schedule_approved.append(func)
    return func


def on_tick(func: Callable) -> Callable:
    if func not in _tick:
        _tick.append(func)
    return func


def run_schedule_approved(schedule) -> None:
    for func in _schedule_approved:
        func(schedule)


def run_tick(now) -> None:
    for func in _tick:
        func(now)


def on_entry_visibility(func: Callable) -> Callable:
    """Register `func(user) -> Q` (over ScheduleEntry) granting R20 visibility."""
    if func not in _entry_visibility:
        _entry_visibility.append(func)
    return func


def entry_visibility_filters(user) -> list:
    return [func(user) for func in _entry_visibility]
