"""The two places where chapter apps plug into the shared core, registered explicitly in
their AppConfig.ready() rather than through signals, so that a reader can find them:

- `schedule_approved`: R10 opens a period's evaluation; e.g. ranking creates its sheets.
- `tick`: the periodic tick (appraisal.tasks.tick) asks each app for what is due today.
"""

from collections.abc import Callable

_schedule_approved: list[Callable] = []
_tick: list[Callable] = []


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
