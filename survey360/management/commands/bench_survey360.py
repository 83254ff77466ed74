"""manage.py bench_survey360 --people 10000 --respondents 7 [--repeat 3]

Builds a throwaway organisation of N people evaluated by 360 on the head's questionnaire
(12 competencies), each with a circle of R respondents who have all answered (the tallies
are filled as R answers would leave them: sum and count per statement), inside a
transaction rolled back at the end. Then times:

- aggregation: the whole organisation's per-person, per-competency sums in one grouped query
  (survey360.selectors.organisation_aggregation);
- reports: the same turned into every person's report (means, overall, R7 gradation,
  least expressed competencies: survey360.selectors.build_reports);
- report page: one person's report page rendered by the view for the chief specialist;
- answer: one more questionnaire submitted (survey360.services.submit_answers);

reporting wall time and SQL statements.
"""

import datetime as dt
import random
import time
import uuid

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import RequestFactory

from appraisal.models import (
    Employee,
    Method,
    Organisation,
    Participation,
    Period,
    PeriodKind,
    Position,
    PositionKind,
    Role,
    RoleAssignment,
    Schedule,
    ScheduleEntry,
    ScheduleState,
)
from survey360 import selectors, services, views
from survey360.models import AnswerTally, Campaign, CampaignState, Questionnaire, Respondent, Statement, Subject


class _Rollback(Exception):
    pass


class Counter:
    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def timed(fn, repeat=1):
    best, queries, result = None, 0, None
    for _ in range(repeat):
        counter = Counter()
        with connection.execute_wrapper(counter):
            start = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
        queries = counter.n
    return best, queries, result


class Command(BaseCommand):
    help = "Benchmark of the 360 aggregation and report page."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--respondents", type=int, default=7)
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, people, respondents, repeat, **options):
        try:
            with transaction.atomic():
                self.run(people, respondents, repeat)
                raise _Rollback
        except _Rollback:
            pass

    def run(self, n, r, repeat):
        rng = random.Random(360)
        tag = uuid.uuid4().hex[:8]
        t0 = time.perf_counter()
        year = 2099
        start, end = Period.bounds(PeriodKind.YEAR, year)
        period, _c = Period.objects.get_or_create(kind=PeriodKind.YEAR, year=year, quarter=None,
                                                  defaults={"start": start, "end": end})
        organisation = Organisation.objects.create(name=f"Бенчмарк 360 {tag}")
        chief_user = get_user_model().objects.create_user(username=f"bench360-{tag}")
        RoleAssignment.objects.create(organisation=organisation, user=chief_user, role=Role.CHIEF_SPECIALIST)
        head_position = Position.objects.create(organisation=organisation, title="Руководитель", kind=PositionKind.HEAD)
        positions = Position.objects.bulk_create(
            [Position(organisation=organisation, title=f"Должность {i}", kind=PositionKind.STAFF, reports_to=head_position)
             for i in range(n)], batch_size=2000)
        employees = Employee.objects.bulk_create(
            [Employee(organisation=organisation, last_name=f"Служащий{i:06d}", first_name="Б") for i in range(n)],
            batch_size=2000)
        schedule = Schedule.objects.create(organisation=organisation, period=period, state=ScheduleState.APPROVED)
        entries = ScheduleEntry.objects.bulk_create(
            [ScheduleEntry(schedule=schedule, employee=e, position=p, method=Method.SURVEY360,
                           participation=Participation.WITH, reason="regular", rule_id="R33")
             for e, p in zip(employees, positions)], batch_size=2000)
        campaign = Campaign.objects.create(organisation=organisation, period=period, schedule=schedule,
                                           deadline=dt.date(year + 1, 1, 10), created_by=chief_user,
                                           state=CampaignState.CLOSED)
        questionnaire = Questionnaire.objects.filter(audience="head").order_by("pk").first()  # 12 competencies
        statements = list(Statement.objects.filter(competency__questionnaire=questionnaire).values_list("pk", flat=True))
        subjects = Subject.objects.bulk_create(
            [Subject(campaign=campaign, entry=en, employee=en.employee, questionnaire=questionnaire)
             for en in entries], batch_size=2000)
        Respondent.objects.bulk_create(
            [Respondent(subject=s, employee=employees[(i + k + 1) % n], source="peer", answered=True)
             for i, s in enumerate(subjects) for k in range(r)], batch_size=5000)
        AnswerTally.objects.bulk_create(
            [AnswerTally(campaign=campaign, subject=s, statement_id=st, total=sum(rng.randint(0, 5) for _ in range(r)),
                         count=r) for s in subjects for st in statements], batch_size=5000)
        setup = time.perf_counter() - t0
        self.stdout.write(f"setup: {n} people × {r} respondents × {len(statements)} statements "
                          f"(12 competencies) = {AnswerTally.objects.filter(campaign=campaign).count()} tallies "
                          f"in {setup:.1f} s ({connection.vendor})")

        seconds, queries, rows = timed(lambda: selectors.organisation_aggregation(campaign), repeat)
        self.stdout.write(f"aggregation (one grouped query): {seconds * 1000:.0f} ms, {queries} queries, "
                          f"{len(rows)} person×competency rows")
        campaign = Campaign.objects.get(pk=campaign.pk)
        all_subjects = list(campaign.subjects.select_related("campaign", "questionnaire", "employee", "entry__position"))
        seconds, queries, reports = timed(lambda: selectors.build_reports(all_subjects, campaign=campaign), repeat)
        self.stdout.write(f"every person's report (means, R7, least expressed): {seconds * 1000:.0f} ms, "
                          f"{queries} queries, {sum(rep.ready for rep in reports.values())} ready")
        seconds, queries, _needs = timed(lambda: selectors.training_needs(campaign), 1)
        self.stdout.write(f"training needs of the organisation: {seconds * 1000:.0f} ms, {queries} queries")

        subject = subjects[n // 2]
        factory = RequestFactory()

        def page():
            request = factory.get(f"/survey360/report/{subject.pk}/")
            request.user = get_user_model().objects.get(pk=chief_user.pk)
            response = views.report(request, subject.pk)
            assert response.status_code == 200 and "Общая оценка" in response.content.decode()
            return response

        seconds, queries, _r = timed(page, repeat)
        self.stdout.write(f"one person's report page: {seconds * 1000:.0f} ms, {queries} queries")

        Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.COLLECTING, deadline=dt.date(2999, 1, 1))
        extra = Employee.objects.create(organisation=organisation, last_name="Респондент", first_name="Б",
                                        user=get_user_model().objects.create_user(username=f"bench360-r-{tag}"))
        Respondent.objects.create(subject=subject, employee=extra, source="added")
        subject = Subject.objects.select_related("campaign", "questionnaire", "employee").get(pk=subject.pk)
        values = {str(st): rng.randint(0, 5) for st in statements}
        seconds, queries, _r = timed(lambda: services.submit_answers(subject=subject, by=extra.user, values=values))
        self.stdout.write(f"one questionnaire submitted: {seconds * 1000:.0f} ms, {queries} queries")
