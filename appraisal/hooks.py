"""The two places where chapter apps plug into the shared core, registered explicitly in
their AppConfig.ready() rather than through signals, so that a reader can find them:

- `schedule_approved`: R10 opens a period's evaluation; e.g. ranking creates its sheets.
- `tick`: the periodic tick (appraisal.tasks.tick) asks each app for what is due today.
- `entry_visibility`: R20 names, besides the person, the evaluator and the chief specialist,
  the participants of a calibration session (and chapter 6 adds the Commission's members
  for the sheets of their meeting). An app registers a function user -> Q over
  ScheduleEntry, of the form Q(pk__in=<subquery of entry ids>) so that no join multiplies
  the rows; appraisal.selectors.schedule_entries_visible_to ORs them in.
- `retention`: R14 keeps an evaluation's documents three years from its completion, then the
  chief specialist disposes of them (appraisal.services.retention). Each app that stores
  documents of an evaluation registers, in its AppConfig.ready(), ONE function

      def documents(entries: QuerySet[ScheduleEntry]) -> list[tuple[str, QuerySet]]:
          return [(_("Листы оценки"), Sheet.objects.filter(entry__in=entries)), ...]

  with `hooks.on_retention(documents)`. `entries` are the schedule lines whose retention has
  run out. Each pair is (a human label of the kind of document, a queryset of its rows for
  those lines); list dependants BEFORE the rows they point to, since the core deletes the
  querysets in the order given (a child's on_delete=CASCADE does not remove the child's
  history rows, so list children explicitly). The function only builds querysets and must
  not change anything. The core then, for the listing, counts each queryset; and, for the
  disposal, inside ONE transaction: deletes each queryset's rows, their django-simple-history
  rows (when the model has `history`) and, after the commit, the files of their FileFields.
  A failure (e.g. a PROTECT) rolls everything back. Chapter functions run first, in
  registration order; the core's own documents (the result, acknowledgements, uploaded scans)
  come last. Labels may be lazy translations; the disposal record stores them as text.
- `participation_changed`: R5.2 re-judges the participation of open lines when an absence
  is entered, changed or removed (and when a 360 survey opens);
  appraisal.services.absences.rejudge_participation then calls each `func(entries)` with
  the ScheduleEntry objects whose participation just changed (already saved), INSIDE its
  transaction, so that a chapter's own state (e.g. the 360 self-assessment flag) changes
  with the line or not at all. The function changes only its app's rows of those lines.
"""

from collections.abc import Callable

_schedule_approved: list[Callable] = []
_tick: list[Callable] = []
_entry_visibility: list[Callable] = []
_retention: list[Callable] = []


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


def on_retention(func: Callable) -> Callable:
    """Register `func(entries) -> [(label, queryset), ...]` listing an app's R14 documents."""
    if func not in _retention:
        _retention.append(func)
    return func


def retention_documents(entries) -> list[tuple[str, object]]:
    """Every registered app's (label, queryset) pairs for these lines, chapters first."""
    return [pair for func in _retention for pair in func(entries)]


_participation_changed: list[Callable] = []


def on_participation_changed(func: Callable) -> Callable:
    """Register `func(entries)`, told of the lines whose R5.2 participation just changed."""
    if func not in _participation_changed:
        _participation_changed.append(func)
    return func


def run_participation_changed(entries) -> None:
    for func in _participation_changed:
        func(entries)


# R13: a re-evaluation ordered on appeal of a calibration decision. Each method's app
# registers `func(*, entry, by) -> dict | None`: for an entry of its method it returns its
# sheet to the evaluator and a snapshot of the old content (kept by the caller), refuses with
# a ValidationError when its method cannot be re-evaluated, and returns None otherwise.
_reevaluation: list[Callable] = []


def on_reevaluation(func: Callable) -> Callable:
    if func not in _reevaluation:
        _reevaluation.append(func)
    return func


def run_reevaluation(*, entry, by) -> dict | None:
    for func in _reevaluation:
        snapshot = func(entry=entry, by=by)
        if snapshot is not None:
            return snapshot
    return None


# E-mail attachments computed when a message is sent (e.g. the .ics invitation to a
# calibration session): `func(message) -> list[(filename, content, mimetype)]`.
_email_attachments: list[Callable] = []


def on_email_attachments(func: Callable) -> Callable:
    if func not in _email_attachments:
        _email_attachments.append(func)
    return func


def email_attachments(message) -> list:
    return [attachment for func in _email_attachments for attachment in func(message)]


# Many bodies in one installation: a body's methodology edition is copied from a template
# (appraisal.services.editions.copy_edition). The core copies the edition and its rule
# validities; each chapter app whose data hangs off the edition (ranking parameters, the KCI
# score table, the 360 questionnaires) registers `func(source, copy)` in its AppConfig.ready()
# that copies ITS rows of `source` onto `copy`, inside the caller's transaction.
_edition_copiers: list[Callable] = []


def on_edition_copied(func: Callable) -> Callable:
    if func not in _edition_copiers:
        _edition_copiers.append(func)
    return func


def run_edition_copied(source, copy) -> None:
    for func in _edition_copiers:
        func(source, copy)
