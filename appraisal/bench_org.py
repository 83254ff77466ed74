"""Large organisations for the benchmarks: `build(organisations=1, staff=300)`.

Each organisation has the demo's cast — a chairman (also deciding on calibration), an
appointing official, a head of apparatus, a chief specialist — and `staff` corps-B staff
reporting to the head, each with a log-in (unusable password: the benchmarks log in through
the session engine). The bulk rows are written with bulk_create; everything that carries a
rule goes through the services, as users produce it:

- II квартал 2026: approved schedule, every ranking sheet sent by the head, the head's KCI
  plan scored by the chairman (results on the home pages);
- III квартал 2026: approved schedule, the ranking page half filled as a draft, the head's
  KCI plan drafted by the chairman (the pages the evaluators work on);
- 2026 год: approved year schedule and the 360 survey opened (questionnaires on the
  staff's home pages).

User names are `<tag>-chief`, `<tag>-head`, `<tag>-s00001` …, so several organisations (and
the demo) live side by side in one database.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from appraisal.models import (
    Appointment,
    Employee,
    Organisation,
    Period,
    PeriodKind,
    Position,
    PositionKind,
    Role,
    RoleAssignment,
    Schedule,
)
from appraisal.services.editions import start_organisation
from appraisal.services.schedules import approve_schedule, generate_schedule, submit_schedule

D = dt.date
SCORED_QUARTER = (2026, 2)
OPEN_QUARTER = (2026, 3)
SURVEY_YEAR = 2026
BATCH = 2000


@dataclass
class BenchOrganisation:
    organisation: Organisation
    users: dict[str, object]  # chairman, official, head, chief, staff (the first staff member)
    schedules: dict[str, Schedule] = field(default_factory=dict)


def _on(day: dt.date, hour: int = 10):
    from appraisal.demo import _on as demo_on

    return demo_on(day, hour)


def _quarter(year: int, q: int) -> Period:
    from appraisal.demo import quarter

    return quarter(year, q)


def _people(organisation: Organisation, tag: str, staff: int) -> dict[str, object]:
    """Positions, employees, log-ins, appointments and roles (bulk where it counts)."""
    User = get_user_model()
    chairman_pos = Position.objects.create(organisation=organisation, title="Председатель", kind=PositionKind.OTHER)
    deputy_pos = Position.objects.create(organisation=organisation, title="Заместитель председателя",
                                         kind=PositionKind.OTHER, reports_to=chairman_pos)
    head_pos = Position.objects.create(organisation=organisation, title="Руководитель аппарата",
                                       kind=PositionKind.HEAD, category="Е-2", reports_to=chairman_pos)
    chief_pos = Position.objects.create(organisation=organisation, title="Главный специалист по кадровым вопросам",
                                        kind=PositionKind.STAFF, category="Е-4", reports_to=head_pos)
    staff_positions = Position.objects.bulk_create(
        [Position(organisation=organisation, title=f"Главный специалист № {i + 1:05d}",
                  kind=PositionKind.STAFF, category="Е-4", reports_to=head_pos) for i in range(staff)],
        batch_size=BATCH)
    unusable = make_password(None)
    named = (("chairman", "Жумабаев", chairman_pos), ("official", "Касымова", deputy_pos),
             ("head", "Серикбаева", head_pos), ("chief", "Ахметова", chief_pos))
    names = [key for key, _l, _p in named] + [f"s{i:05d}" for i in range(1, staff + 1)]
    users = User.objects.bulk_create([User(username=f"{tag}-{name}", password=unusable, first_name="Айгерим",
                                           last_name=name) for name in names], batch_size=BATCH)
    last_names = [last for _k, last, _p in named] + [f"Служащий{i:05d}" for i in range(1, staff + 1)]
    employees = Employee.objects.bulk_create(
        [Employee(organisation=organisation, user=user, last_name=last, first_name="Айгерим",
                  middle_name="Болатовна", personnel_number=f"{n:05d}", email=f"{user.username}@bench.example.kz")
         for n, (user, last) in enumerate(zip(users, last_names, strict=True), start=1)],
        batch_size=BATCH)
    positions = [p for _k, _l, p in named] + staff_positions
    Appointment.objects.bulk_create(
        [Appointment(employee=e, position=p, start=D(2020, 1, 6)) for e, p in zip(employees, positions, strict=True)],
        batch_size=BATCH)
    by_key = dict(zip(names, users, strict=True))
    RoleAssignment.objects.bulk_create([
        RoleAssignment(organisation=organisation, user=by_key["chairman"], role=Role.CHAIRMAN, start=D(2020, 1, 6)),
        RoleAssignment(organisation=organisation, user=by_key["chairman"], role=Role.APPOINTING_OFFICIAL,
                       start=D(2020, 1, 6)),
        RoleAssignment(organisation=organisation, user=by_key["official"], role=Role.APPOINTING_OFFICIAL,
                       start=D(2020, 1, 6)),
        RoleAssignment(organisation=organisation, user=by_key["chief"], role=Role.CHIEF_SPECIALIST,
                       start=D(2020, 1, 6)),
    ])
    return {"chairman": by_key["chairman"], "official": by_key["official"], "head": by_key["head"],
            "chief": by_key["chief"], "staff": by_key["s00001"] if staff else by_key["chief"]}


def _approved(organisation: Organisation, period: Period, users: dict) -> Schedule:
    with _on(period.start + dt.timedelta(days=3)):
        schedule = generate_schedule(organisation=organisation, period=period, by=users["chief"])
        submit_schedule(schedule=schedule, by=users["chief"])
    with _on(period.start + dt.timedelta(days=4)):
        return approve_schedule(schedule=schedule, by=users["official"])  # opens the ranking sheets


def _rank(schedule: Schedule, users: dict, *, submit: bool, share: int = 1) -> None:
    """The head fills the ranking page: every `share`-th sheet gets points; `submit` sends."""
    from ranking.models import PARAMETER_CODES, RankingSheet
    from ranking.services import save_ranking

    sheets = list(RankingSheet.objects.filter(entry__schedule=schedule, entry__evaluator__user=users["head"])
                  .select_related("entry__employee", "entry__evaluator__user", "entry__schedule__period")
                  .order_by("pk"))
    raw = {sheet.pk: dict(zip(PARAMETER_CODES, (str(3 + (n + k) % 3) for k in range(4)), strict=True))
           for n, sheet in enumerate(sheets) if n % share == 0}
    day = schedule.period.end + dt.timedelta(days=1 if submit else -5)
    with _on(day, hour=16):
        save_ranking(sheets=sheets, raw=raw, by=users["head"], submit=submit)


def _draft_kci_plan(schedule: Schedule, users: dict) -> None:
    """Chapter 2 as far as a drafted plan: the chairman sets the head's KCI (R21, R22)."""
    from appraisal.demo import KCI_PLAN
    from appraisal.models import Method
    from kci import services as kci

    period = schedule.period
    for entry in schedule.entries.filter(method=Method.KCI):
        with _on(period.start + dt.timedelta(days=10)):
            plan = kci.create_plan(entry=entry, by=users["chairman"])
            for title, unit, target, _actual in KCI_PLAN:
                kci.save_kci(plan=plan, by=users["chairman"], data={
                    "title": title, "unit": unit, "target": target, "deadline": period.end,
                    "indicator_kind": "quantitative", "document_kind": "strategic_goal",
                    "document_name": "План работы на 2026 год", "resources": "штат аппарата",
                })


def _survey(organisation: Organisation, users: dict) -> Schedule:
    from survey360 import services as survey360

    year = Period.objects.get(kind=PeriodKind.YEAR, year=SURVEY_YEAR)
    with _on(D(2026, 11, 2)):
        schedule = generate_schedule(organisation=organisation, period=year, by=users["chief"])
        submit_schedule(schedule=schedule, by=users["chief"])
        approve_schedule(schedule=schedule, by=users["official"])
        campaign = survey360.create_campaign(organisation=organisation, period=year, by=users["chief"])
        survey360.open_campaign(campaign=campaign, by=users["chief"])
    return schedule


def build_one(tag: str, staff: int, *, history: bool = True, survey: bool = True) -> BenchOrganisation:
    """One organisation; `history` adds the scored II квартал, `survey` the 360 survey."""
    from appraisal.demo import _evaluate_kci

    with transaction.atomic():
        organisation = Organisation.objects.create(name=f"Бенчмарк {tag}: {staff} служащих", short_name=f"Бенчмарк {tag}")
        start_organisation(organisation)  # issue 12.6: each body has its own copies of the editions
        users = _people(organisation, tag, staff)
        built = BenchOrganisation(organisation, users)
        if history:
            built.schedules["scored"] = scored = _approved(organisation, _quarter(*SCORED_QUARTER), users)
            _rank(scored, users, submit=True)
            _evaluate_kci(scored, chief=users["chief"], chairman=users["chairman"])
        built.schedules["current"] = current = _approved(organisation, _quarter(*OPEN_QUARTER), users)
        _rank(current, users, submit=False, share=2)
        _draft_kci_plan(current, users)
        if survey:
            built.schedules["year"] = _survey(organisation, users)
    return built


def build(organisations: int = 1, staff: int = 300, tag: str = "bench", *, history: bool = True,
          survey: bool = True) -> list[BenchOrganisation]:
    """`organisations` bodies of `staff` staff each, tagged `<tag>1`, `<tag>2` … The notices
    the steps send go to an in-memory mailbox and a throwaway SMS file."""
    import tempfile

    from django.test.utils import override_settings

    with tempfile.TemporaryDirectory() as tmp, override_settings(
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", SMS_BACKEND="file",
        SMS_FILE_PATH=f"{tmp}/sms.log",
    ):
        return [build_one(f"{tag}{n}", staff, history=history, survey=survey) for n in range(1, organisations + 1)]
