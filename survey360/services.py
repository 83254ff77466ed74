"""Chapter 4 writes: campaign, circle of respondents, answers, reports, feedback (R33–R36).

Anonymity by construction (see docs/conformance/survey360.md): `submit_answers` claims the
respondent's "answered" flag and adds the answers to the per-statement tallies, with a single
UPDATE … SET total = total + CASE …, count = count + 1, in one transaction (an answer is never
half-saved). No row ever holds one person's answer; the two writes share no key, and the
physical traces of that shared transaction are erased when the campaign closes
(`close_campaign` rewrites the answer tables).
"""

import logging
import random

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal import roles
from appraisal.deadlines import evaluation_deadline
from appraisal.editions import edition_for_period
from appraisal.models import (
    Appointment,
    Employee,
    Method,
    Organisation,
    Participation,
    Period,
    PositionKind,
    Role,
    ScheduleEntry,
)
from appraisal.notifications.outbox import Notice, notify_employees
from appraisal.services.absences import rejudge_participation
from appraisal.services.results import record_result
from appraisal.services.schedules import approved_schedule
from appraisal.transitions import Refusals, run_transition
from appraisal.validation import clean_date, clean_text_for
from appraisal.workdays import WorkingCalendar
from survey360 import circles
from survey360.editions import questionnaires_for
from survey360.models import (
    AnonymousComment,
    AnswerTally,
    Audience,
    Campaign,
    CampaignState,
    FeedbackMeeting,
    Respondent,
    RespondentSource,
    SelfAnswer,
    Statement,
    Subject,
)
from survey360.selectors import CIRCLE_MAX, CIRCLE_MIN, build_reports

logger = logging.getLogger(__name__)
# Limits of the free texts (TextFields, the model sets none); the comment used to be cut at
# 4000 characters without a word.
COMMENT_LIMIT = 4000
FEEDBACK_TEXT_LIMIT = 4000
_rng = random.SystemRandom()


def _require_chief(organisation_id: int, by) -> None:
    if not roles.has_role(by, organisation_id, Role.CHIEF_SPECIALIST):
        raise PermissionDenied(_("п. 36: опрос 360 проводит главный специалист."))


def _respondents_word(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return _("респондент")
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return _("респондента")
    return _("респондентов")


# --- campaign and circle -------------------------------------------------------------

def propose_circle(subjects: list[Subject], organisation: Organisation, period: Period,
                   window: tuple) -> list[Respondent]:
    """R35.1: the direct supervisor, the direct subordinates, then the peers who share the
    supervisor — at most seven, in that order, and only people at work during the collection
    `window` (survey360.circles); the chief specialist adjusts it."""
    proposed = circles.propose(subjects, organisation, period, window)
    return [Respondent(subject=subject, employee=c.employee, source=c.source)
            for subject in subjects for c in proposed[subject.pk]]


@transaction.atomic
def create_campaign(*, organisation: Organisation, period: Period, by) -> Campaign:
    """R33, R10: a draft campaign for the year, from the approved year schedule."""
    _require_chief(organisation.pk, by)
    if period.kind != "year":
        raise ValidationError(_("п. 4: оценка методом 360 проводится за год."))
    schedule = approved_schedule(organisation, period)
    if schedule is None:
        raise ValidationError(_("п. 10: график оценки на %(period)s не утверждён.") % {"period": period})
    if Campaign.objects.filter(organisation=organisation, period=period).exists():
        raise ValidationError(_("п. 33: опрос 360 за %(period)s уже создан.") % {"period": period})
    deadline = evaluation_deadline(period, edition_for_period(period, organisation))
    campaign = Campaign.objects.create(organisation=organisation, period=period, schedule=schedule,
                                       deadline=deadline, created_by=by)
    questionnaires = questionnaires_for(edition_for_period(period, organisation))  # the body's own forms 5 and 6
    entries = ScheduleEntry.objects.filter(schedule=schedule, method=Method.SURVEY360).exclude(
        participation=Participation.NOT_EVALUATED).select_related("employee", "position")
    subjects = Subject.objects.bulk_create([
        Subject(campaign=campaign, entry=e, employee=e.employee,
                questionnaire=questionnaires[Audience.HEAD if e.position.kind == PositionKind.HEAD else Audience.STAFF],
                with_participation=e.participation == Participation.WITH)
        for e in entries
    ])
    window = circles.collection_window(None, deadline)
    Respondent.objects.bulk_create(propose_circle(subjects, organisation, period, window))
    return campaign


def _require_draft(campaign: Campaign) -> None:
    if campaign.state != CampaignState.DRAFT:
        raise ValidationError(_("п. 35.1: круг респондентов меняется только до открытия опроса."))


@transaction.atomic
def add_respondent(*, subject: Subject, employee: Employee, by) -> Respondent:
    campaign = subject.campaign
    _require_chief(campaign.organisation_id, by)
    _require_draft(campaign)
    if employee.pk == subject.employee_id:
        raise ValidationError(_("п. 35.2: самооценка заполняется отдельно; оцениваемый не входит в круг респондентов."))
    if employee.organisation_id != campaign.organisation_id:
        raise ValidationError(_("п. 35.1: респондент должен работать в том же государственном органе."))
    if subject.respondents.filter(employee=employee).exists():
        raise ValidationError(_("п. 35.1: %(name)s уже в круге респондентов.") % {"name": employee.short_name})
    day = min(timezone.localdate(), campaign.period.end)
    appointments = Appointment.objects.filter(employee=employee, position__organisation_id=campaign.organisation_id)
    if appointments.exists() and not appointments.filter(Q(end__isnull=True) | Q(end__gte=day)).exists():
        raise ValidationError(
            _("п. 35.1: %(name)s не работает в государственном органе на %(d)s и не может быть респондентом.")
            % {"name": employee.short_name, "d": f"{day:%d.%m.%Y}"}
        )
    count = subject.respondents.count()
    if count >= CIRCLE_MAX:
        raise ValidationError(
            _("п. 35.1: у %(name)s уже %(n)s респондентов, больше %(max)s нельзя.")
            % {"name": subject.employee.short_name, "n": count, "max": CIRCLE_MAX}
        )
    return Respondent.objects.create(subject=subject, employee=employee, source=RespondentSource.ADDED)


@transaction.atomic
def remove_respondent(*, respondent: Respondent, by) -> None:
    campaign = respondent.subject.campaign
    _require_chief(campaign.organisation_id, by)
    _require_draft(campaign)
    respondent.delete()


def circle_problems(campaign: Campaign) -> list[str]:
    """R35.1: everyone whose circle is not three to seven, in words."""
    problems = []
    for subject in campaign.subjects.select_related("employee").prefetch_related("respondents"):
        n = len(subject.respondents.all())
        if not CIRCLE_MIN <= n <= CIRCLE_MAX:
            problems.append(
                _("п. 35.1: у %(name)s %(n)s %(word)s, нужно от %(min)s до %(max)s (самооценка не считается).")
                % {"name": subject.employee.short_name, "n": n, "word": _respondents_word(n),
                   "min": CIRCLE_MIN, "max": CIRCLE_MAX}
            )
    return problems


def _run(campaign: Campaign, name: str, *, by) -> None:
    run_transition(campaign, name, by=by, refusals=Refusals(
        not_now=_("Действие недоступно в состоянии «%(state)s»."),
        wrong_role=_("п. 36: опрос 360 проводит главный специалист."),
        stale=_("Опрос уже изменён другим пользователем. Обновите страницу."),
    ))


@transaction.atomic
def open_campaign(*, campaign: Campaign, by) -> Campaign:
    """R35.1, R4: opens only when every circle has three to seven respondents and the R4
    day has not passed; creates the zeroed tallies and queues the invitations."""
    _require_chief(campaign.organisation_id, by)
    if campaign.state != CampaignState.DRAFT:
        raise ValidationError(_("Опрос уже открыт."))
    if not campaign.subjects.exists():
        raise ValidationError(_("п. 33: в утверждённом графике нет служащих, оцениваемых методом 360."))
    problems = circle_problems(campaign)
    if problems:
        raise ValidationError(problems)
    if timezone.localdate() > campaign.deadline:
        raise ValidationError(_("п. 4: срок оценки методом 360 истёк %(d)s.") % {"d": f"{campaign.deadline:%d.%m.%Y}"})
    _run(campaign, "open", by=by)
    _judge_participation_on_opening(campaign, by=by)
    subjects = list(campaign.subjects.select_related("employee"))
    statements: dict[int, list[int]] = {}
    for statement_id, questionnaire_id in Statement.objects.values_list("pk", "competency__questionnaire_id"):
        statements.setdefault(questionnaire_id, []).append(statement_id)
    AnswerTally.objects.bulk_create([
        AnswerTally(campaign=campaign, subject=s, statement_id=st) for s in subjects for st in statements[s.questionnaire_id]
    ], batch_size=2000)
    AnonymousComment.objects.bulk_create([AnonymousComment(subject=s) for s in subjects], batch_size=2000)
    _invite(campaign, subjects)
    return campaign


def _judge_participation_on_opening(campaign: Campaign, *, by) -> None:
    """R5.2: participation is judged on the days the survey is actually conducted, from its
    opening (which may be in December) to the R4 day; the self-assessment follows it."""
    rejudge_participation(entries=ScheduleEntry.objects.filter(survey360_subject__campaign=campaign), by=by,
                          conducted_from=campaign.opened_on,
                          change_reason=_("п. 5.2: участие определено на день открытия опроса 360"))
    with_participation = Q(entry__participation=Participation.WITH)
    campaign.subjects.filter(with_participation).update(with_participation=True)
    campaign.subjects.exclude(with_participation).update(with_participation=False)


def _invite(campaign: Campaign, subjects: list[Subject]) -> None:
    to_assess: dict[int, int] = {}
    people: dict[int, Employee] = {}
    for r in Respondent.objects.filter(subject__campaign=campaign).select_related("employee"):
        to_assess[r.employee_id] = to_assess.get(r.employee_id, 0) + 1
        people[r.employee_id] = r.employee
    self_ids = {s.employee_id for s in subjects if s.with_participation}
    for s in subjects:
        people.setdefault(s.employee_id, s.employee)
    deadline = f"{campaign.deadline:%d.%m.%Y}"
    notices = []
    for employee_id, employee in people.items():
        parts = []
        if to_assess.get(employee_id):
            parts.append(_("оцените коллег: %(n)s чел.") % {"n": to_assess[employee_id]})
        if employee_id in self_ids:
            parts.append(_("заполните самооценку"))
        if not parts:
            continue
        notices.append(Notice(
            employee=employee, key=f"survey360:{campaign.pk}:invite:{employee_id}", rule_id="R33",
            subject=_("Оценка методом 360 за %(p)s") % {"p": campaign.period},
            body=_("Анонимный опрос открыт до %(d)s: %(what)s.") % {"d": deadline, "what": "; ".join(parts)},
        ))
    notify_employees(notices)


@transaction.atomic
def close_campaign(*, campaign: Campaign, by) -> Campaign:
    """Ends collecting, re-shuffles the comments, then rewrites the answer tables (below),
    all in one transaction, so no report is ever built from tables that still tell whose
    answer came when."""
    _require_chief(campaign.organisation_id, by)
    _run(campaign, "close", by=by)
    pools = list(AnonymousComment.objects.filter(subject__campaign=campaign))
    for pool in pools:
        _rng.shuffle(pool.texts)
    AnonymousComment.objects.bulk_update(pools, ["texts"], batch_size=1000)
    _rewrite_answer_tables()
    return campaign


# Canonical order of the rewritten rows: nothing about the order of arrival survives.
_REWRITE_ORDER = {AnswerTally: "subject_id, statement_id", AnonymousComment: "subject_id"}


def _rewrite_answer_tables() -> None:
    """Each answer is counted in the transaction that sets its respondent's flag, so while
    collecting the tally rows carry that transaction's xmin and the previous row versions
    (dead tuples, intermediate sums) stay in the pages until a vacuum: together they would
    give one person's answers. Closing copies the final rows aside, empties the tables and
    inserts the copies back in a canonical order, in the closing transaction.

    On PostgreSQL the tables are emptied with TRUNCATE, which gives them new files and drops
    the old ones (with every dead version) at commit; so afterwards every page holds only
    the final sums, all with the closing transaction's xmin. It covers the rows of every
    campaign (TRUNCATE has no WHERE), which is harmless: a row's content does not change.
    Elsewhere (SQLite, the demo) the rows are deleted and inserted back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses to run while foreign-key checks of this transaction are
            # pending (rows inserted earlier in it); run them now, then defer them again.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for model, order in _REWRITE_ORDER.items():
            table = connection.ops.quote_name(model._meta.db_table)
            copy = connection.ops.quote_name(f"{model._meta.db_table}_closing")
            columns = ", ".join(connection.ops.quote_name(f.column) for f in model._meta.concrete_fields)
            if connection.vendor == "postgresql":
                # Before copying: an answer to another organisation's campaign committed
                # between the copy and the TRUNCATE would be lost.
                cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
            cursor.execute(f"CREATE TEMPORARY TABLE {copy} AS SELECT {columns} FROM {table}")  # noqa: S608  quoted identifiers from _meta and constants, no user input
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {table}")
            else:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608  quoted identifiers from _meta and constants, no user input
            cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {copy} ORDER BY {order}")  # noqa: S608  quoted identifiers from _meta and constants, no user input
            cursor.execute(f"DROP TABLE {copy}")


@transaction.atomic
def publish_reports(*, campaign: Campaign, by) -> Campaign:
    """R36: the individual reports; the overall mean is the 360 result of the year (R7)."""
    _require_chief(campaign.organisation_id, by)
    _run(campaign, "publish", by=by)
    subjects = list(campaign.subjects.select_related("campaign", "questionnaire", "entry", "employee"))
    for report in build_reports(subjects, campaign=campaign).values():
        if report.ready and report.overall is not None:
            record_result(entry=report.subject.entry, score=report.overall)
    return campaign


# --- answers -------------------------------------------------------------------------

def _clean_values(subject: Subject, values: dict, rule: str) -> dict[int, int]:
    questionnaire = subject.questionnaire
    expected = set(Statement.objects.filter(competency__questionnaire=questionnaire).values_list("pk", flat=True))
    cleaned: dict[int, int] = {}
    for key, raw in values.items():
        try:
            statement_id = int(key)
        except (TypeError, ValueError):
            raise ValidationError(_("%(rule)s: неизвестное утверждение анкеты.") % {"rule": rule}) from None
        if statement_id not in expected:
            raise ValidationError(_("%(rule)s: утверждение не из анкеты этого служащего.") % {"rule": rule})
        try:
            value = int(str(raw).strip())
        except (TypeError, ValueError):
            value = None
        if value is None or not questionnaire.scale_min <= value <= questionnaire.scale_max:
            raise ValidationError(
                _("%(rule)s: ответ «%(v)s» вне шкалы от %(a)s до %(b)s.")
                % {"rule": rule, "v": raw, "a": questionnaire.scale_min, "b": questionnaire.scale_max}
            )
        cleaned[statement_id] = value
    if set(cleaned) != expected:
        raise ValidationError(_("%(rule)s: ответьте на все утверждения анкеты (%(n)s).") % {"rule": rule, "n": len(expected)})
    return cleaned


def check_open(campaign: Campaign) -> None:
    if campaign.state != CampaignState.COLLECTING:
        raise ValidationError(_("п. 33: опрос 360 сейчас не принимает ответы."))
    if timezone.localdate() > campaign.deadline:
        raise ValidationError(
            _("п. 4: срок оценки методом 360 истёк %(d)s; ответы не принимаются.") % {"d": f"{campaign.deadline:%d.%m.%Y}"}
        )


def submit_answers(*, subject: Subject, by, values: dict, comment: str = "") -> None:
    """R33: one anonymous questionnaire from a respondent of the person's circle.

    All or nothing, in one transaction: the "answered" flag is claimed with an
    update-if-unchanged, then the answers are added to the tallies and the comment to the
    pool. A crash anywhere (a killed process, a dropped connection) rolls back all three, so
    nobody is ever marked as answered with nothing counted. The physical traces that tie the
    flag to the tallies while collecting (the shared xmin, the dead row versions holding
    intermediate sums) are erased by `close_campaign`, before any report can exist.
    """
    campaign = subject.campaign
    employee = getattr(by, "employee", None)
    if employee is not None and employee.pk == subject.employee_id:
        raise ValidationError(_("п. 35.2: свою деятельность вы оцениваете в самооценке, она не входит в результат."))
    respondent = Respondent.objects.filter(subject=subject, employee__user=by).first() if employee else None
    if respondent is None:
        raise ValidationError(_("п. 35.1: %(name)s нет в вашем списке для оценки.") % {"name": subject.employee.short_name})
    check_open(campaign)
    if respondent.answered:
        raise ValidationError(_("п. 33: вы уже оценили %(name)s; повторный ответ не принимается.")
                              % {"name": subject.employee.short_name})
    cleaned = _clean_values(subject, values, _("п. 34"))
    comment = clean_text_for(COMMENT_LIMIT, comment, rule=_("п. 34"), label=_("комментарий"))

    with transaction.atomic():
        claimed = Respondent.objects.filter(pk=respondent.pk, answered=False).update(answered=True)
        if not claimed:
            raise ValidationError(_("п. 33: вы уже оценили %(name)s; повторный ответ не принимается.")
                                  % {"name": subject.employee.short_name})
        items = list(cleaned.items())
        _rng.shuffle(items)
        updated = AnswerTally.objects.filter(subject=subject, statement_id__in=cleaned).update(
            total=F("total") + Case(*[When(statement_id=s, then=Value(v)) for s, v in items],
                                    default=Value(0), output_field=IntegerField()),
            count=F("count") + 1,
        )
        if updated != len(cleaned):
            raise ValidationError(_("п. 34: анкета изменилась после открытия опроса; обратитесь к главному специалисту."))
        if comment:
            pool = AnonymousComment.objects.select_for_update().get(subject=subject)
            pool.texts.insert(_rng.randint(0, len(pool.texts)), comment)
            pool.save(update_fields=["texts"])


@transaction.atomic
def submit_self_assessment(*, subject: Subject, by, values: dict) -> None:
    """R35.2: the person assesses themself; stored apart and never counted. Not for R5.2."""
    if subject.employee.user_id != getattr(by, "pk", None):
        raise ValidationError(_("п. 35.2: самооценку заполняет только сам оцениваемый."))
    if not subject.with_participation:
        raise ValidationError(_("п. 5.2: оценка проводится без участия служащего; самооценка не заполняется."))
    check_open(subject.campaign)
    locked = Subject.objects.select_for_update().get(pk=subject.pk)
    # Checked again under the lock: an absence entered at this moment may have withdrawn
    # the self-assessment (R5.2) since the page was read.
    if not locked.with_participation:
        raise ValidationError(_("п. 5.2: оценка проводится без участия служащего; самооценка не заполняется."))
    if locked.self_submitted:
        raise ValidationError(_("п. 35.2: самооценка уже заполнена."))
    cleaned = _clean_values(subject, values, _("п. 35.2"))
    SelfAnswer.objects.bulk_create([SelfAnswer(subject=subject, statement_id=s, value=v) for s, v in cleaned.items()])
    locked.self_submitted = True
    locked.save(update_fields=["self_submitted"])
    subject.self_submitted = True


# --- feedback, reminders ---------------------------------------------------------------

@transaction.atomic
def record_feedback(*, subject: Subject, by, held_on, participants: str, strengths: str, to_develop: str,
                    training_topics: str) -> FeedbackMeeting:
    """R36, appendix 8: the chief specialist records the feedback meeting."""
    _require_chief(subject.campaign.organisation_id, by)
    if not subject.campaign.results_visible:
        raise ValidationError(_("п. 36: обратная связь проводится после завершения опроса."))
    fields = {"participants": participants, "strengths": strengths, "to_develop": to_develop,
              "training_topics": training_topics}
    fields = {k: clean_text_for(FEEDBACK_TEXT_LIMIT, v, rule=_("п. 36"),
                                label=str(FeedbackMeeting._meta.get_field(k).verbose_name)) for k, v in fields.items()}
    missing = [k for k, v in fields.items() if not v]
    if missing or not held_on:
        raise ValidationError(_("п. 36: заполните дату, участников, сильные стороны, компетенции для развития и темы обучения."))
    # The meeting follows the survey of the year: within that year or the next.
    period = subject.campaign.period
    held_on = clean_date(held_on, rule=_("п. 36"), label=_("дата встречи"), not_before=period.start,
                         not_after=period.end.replace(year=period.end.year + 1, month=12, day=31))
    meeting, _created = FeedbackMeeting.objects.update_or_create(
        subject=subject, defaults={"held_on": held_on, "recorded_by": by, **fields}
    )
    return meeting


def send_reminders(now) -> int:
    """Tick hook: one reminder to each person who has not answered, at each of the campaign's
    working-day marks before the R4 day; only the latest mark reached is sent, each once."""
    today = timezone.localdate(now) if timezone.is_aware(now) else now.date()
    calendar = None
    queued = 0
    for campaign in Campaign.objects.filter(state=CampaignState.COLLECTING, deadline__gte=today).select_related("period"):
        calendar = calendar or WorkingCalendar.load()
        reached = [n for n in campaign.reminder_days if calendar.working_days_before(campaign.deadline, n) <= today]
        if not reached:
            continue
        mark = min(reached)
        pending: dict[int, Employee] = {}
        for r in Respondent.objects.filter(subject__campaign=campaign, answered=False).select_related("employee"):
            pending[r.employee_id] = r.employee
        for s in campaign.subjects.filter(with_participation=True, self_submitted=False).select_related("employee"):
            pending[s.employee_id] = s.employee
        queued += notify_employees([
            Notice(employee=employee, key=f"survey360:{campaign.pk}:remind:{mark}:{employee_id}", rule_id="R4",
                   subject=_("Напоминание: оценка методом 360"),
                   body=_("Осталось заполнить анкеты опроса 360 за %(p)s. Последний день — %(d)s.")
                   % {"p": campaign.period, "d": f"{campaign.deadline:%d.%m.%Y}"})
            for employee_id, employee in pending.items()
        ])
    return queued
