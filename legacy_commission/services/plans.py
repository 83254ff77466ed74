"""Chapter 6, R43–R46 and D2: the individual work plan of appendix 9.

The direct supervisor (the evaluator of the schedule line) drafts exactly five SMART KCIs;
the higher supervisor (derived from the positions) approves them. Each service checks its
rule and refuses with a Russian message naming it, inside one transaction, so a refusal
changes nothing already saved. Deadlines are flagged (legacy_commission/selectors.py),
never enforced: a late plan is still a plan.

D2: chapter 6 was in force until 31.08.2023 (the edition's validity of "CH6"). From the
next day no new plan is started; a plan started before can be finished, and everything
stays readable.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appraisal.dates import fmt_date
from appraisal.editions import edition_for_entry
from appraisal.models import Method, ScheduleEntry, ScheduleState
from appraisal.notifications.outbox import notify_employee
from appraisal.selectors import appointments_overlapping, higher_supervisor_of, holders_by_position
from appraisal.transitions import Refusals, run_transition
from appraisal.validation import clean_date, clean_text_for
from legacy_commission.models import KCI_COUNT, LegacyAim, LegacyKci, LegacyPlan, LegacyPlanState
from legacy_commission.models.plan import is_supervisor

CHAPTER_RULE = "CH6"  # the edition's RuleValidity for chapter 6 (D2)
REASON_MAX = 2000


# --- D2 ---------------------------------------------------------------------------------


def chapter6_in_force(entry: ScheduleEntry, day: dt.date, editions=None) -> bool:
    """D2: whether chapter 6 may still start something on `day`, by the edition that
    governs the line's period (a later edition does not revive or end it). `editions`
    (appraisal.editions.load_editions of the line's organisation) saves the queries when many lines are asked."""
    return edition_for_entry(entry, editions).rule_in_force(CHAPTER_RULE, day)


def refuse_after_d2(entry: ScheduleEntry, day: dt.date) -> None:
    edition = edition_for_entry(entry)
    if not edition.rule_in_force(CHAPTER_RULE, day):
        until = edition.rule_valid_until(CHAPTER_RULE)
        raise ValidationError(
            _("п. 2 решения маслихата № %(n)s: глава 6 Методики действовала по %(d)s включительно; новый "
              "индивидуальный план и новая оценка по главе 6 не начинаются (начатые ранее завершаются).")
            % {"n": edition.decision_number, "d": fmt_date(until) if until else "—"},
            code="d2_expired")


# --- shared input checks ----------------------------------------------------------------


def clean_text(value, *, field: str, limit=None, rule: str = "", label: str = "", required: str | None = None,
               max_length: int | None = None, too_long: str | None = None) -> str:
    """appraisal.validation.clean_text_for (stripped, within the model's length, no NUL,
    never cut), with the refusal keyed by `field` so a page shows it beside the input.
    `required` is the message for an empty value, or None when it may be empty.
    (`max_length`/`too_long` are the earlier spelling of `limit`; the core words the refusal.)"""
    try:
        return clean_text_for(limit if limit is not None else max_length, value, rule=rule,
                              label=label or _("Текст"), required=bool(required), required_message=required or "")
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


def run(instance, name: str, *, by, who: str, **kwargs):
    return run_transition(instance, name, by=by, refusals=Refusals(
        not_now=_("Действие недоступно в состоянии «%(state)s»."),
        wrong_role=who,
        stale=_("Документ уже изменён другим пользователем. Обновите страницу — ваши данные не "
                "сохранены, сохранённые ранее не изменены."),
    ), **kwargs)


# --- the plan ---------------------------------------------------------------------------


def _refuse_entry(entry: ScheduleEntry) -> None:
    """R10, R5.3: a plan only for a chapter-6 line of an approved schedule."""
    if entry.schedule.state != ScheduleState.APPROVED:
        raise ValidationError(_("п. 10: график оценки на период «%(p)s» не утверждён; индивидуальный план "
                                "не составляется.") % {"p": entry.schedule.period})
    if entry.method != Method.LEGACY:
        raise ValidationError(_("п. 5.3: по главе 6 оцениваются только служащие, которых график направил в этот "
                                "порядок; %(who)s: %(how)s.") % {"who": entry.employee, "how": entry.get_method_display()})


def derive_higher_supervisor(entry: ScheduleEntry):
    """R44: whoever holds, at the end of the period, the position the direct supervisor's
    position reports to (as the schedule derives the direct supervisor)."""
    period = entry.schedule.period
    holders = holders_by_position(
        list(appointments_overlapping(entry.schedule.organisation, period.start, period.end)), period.end)
    higher = higher_supervisor_of(entry.position, holders)
    return higher if higher and higher.pk not in (entry.employee_id, entry.evaluator_id) else None


@transaction.atomic
def create_plan(*, entry: ScheduleEntry, by) -> LegacyPlan:
    """R43: the direct supervisor starts the plan (D2: not after chapter 6 lapsed)."""
    entry = ScheduleEntry.objects.select_related(
        "schedule__period", "schedule__organisation", "employee", "evaluator", "position__reports_to").get(pk=entry.pk)
    _refuse_entry(entry)
    if not (entry.evaluator_id and getattr(by, "is_authenticated", False) and entry.evaluator.user_id == by.pk):
        raise PermissionDenied(_("п. 43: КЦИ определяет непосредственный руководитель (%(who)s).")
                               % {"who": entry.evaluator or "—"})
    existing = LegacyPlan.objects.filter(entry=entry).first()
    if existing is not None:
        return existing  # started earlier: D2 lets it be finished
    refuse_after_d2(entry, timezone.localdate())
    higher = derive_higher_supervisor(entry)
    if higher is None:
        raise ValidationError(_("п. 44: вышестоящий руководитель не определён — укажите в штатном расписании, "
                                "кому подчиняется должность непосредственного руководителя."))
    return LegacyPlan.objects.create(entry=entry, higher_supervisor=higher, created_by=by)


def lock_plan(plan: LegacyPlan) -> LegacyPlan:
    return LegacyPlan.objects.select_for_update(of=("self",)).select_related(
        "entry__schedule__period", "entry__schedule__organisation", "entry__evaluator", "entry__employee",
        "higher_supervisor").get(pk=plan.pk)


def _require_author(plan: LegacyPlan, by) -> None:
    if not is_supervisor(plan, by):
        raise PermissionDenied(_("п. 43: КЦИ определяет непосредственный руководитель."))


def _require_draft(plan: LegacyPlan) -> None:
    if plan.state != LegacyPlanState.DRAFT:
        raise ValidationError(_("п. 44: план в состоянии «%(s)s»; КЦИ меняются только в проекте плана.")
                              % {"s": plan.get_state_display()})


def clean_kci_data(plan: LegacyPlan, data: dict) -> dict:
    """R45: specific, measurable, achievable, time-bound within the period, aimed at a
    strategic goal of the organisation or a corps-A agreement. Errors keyed by field."""
    period = plan.entry.schedule.period
    errors: dict[str, str] = {}
    cleaned: dict = {}
    labels = {"title": _("КЦИ"), "criterion": _("Критерий измерения"), "resources": _("Достижимость"),
              "aim_name": _("Стратегическая цель / соглашение")}
    for field, message in (
        ("title", _("п. 45: укажите конкретный результат с ожидаемым положительным изменением (конкретность).")),
        ("criterion", _("п. 45: укажите критерий, по которому измеряется достижение КЦИ (измеримость).")),
        ("resources", _("п. 45: укажите ресурсы, полномочия и ограничения, с учётом которых КЦИ достижим "
                        "(достижимость).")),
        ("aim_name", _("п. 45: укажите стратегическую цель государственного органа или соглашение служащего "
                       "корпуса «А», на реализацию которых направлен КЦИ.")),
    ):
        try:
            cleaned[field] = clean_text(data.get(field), field=field, limit=LegacyKci._meta.get_field(field),
                                        rule=_("п. 45"), label=labels[field], required=message)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    aim_kind = data.get("aim_kind")
    if aim_kind not in LegacyAim.values:
        errors["aim_kind"] = _("п. 45: выберите, на что направлен КЦИ: стратегическая цель или соглашение "
                               "служащего корпуса «А».")
    cleaned["aim_kind"] = aim_kind
    deadline = data.get("deadline")
    if deadline in (None, "") or not isinstance(deadline, (str, dt.date)):
        errors["deadline"] = _("п. 45: укажите срок достижения КЦИ (ограниченность во времени).")
    else:
        try:
            deadline = clean_date(deadline, rule=_("п. 45"), label=_("Срок достижения (в течение оцениваемого периода)"),
                                  not_before=period.start, not_after=period.end)
        except ValidationError as exc:
            errors["deadline"] = exc.messages[0]
    cleaned["deadline"] = deadline
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def save_kci(*, plan: LegacyPlan, by, data: dict, kci: LegacyKci | None = None) -> LegacyKci:
    """Add (R46: no more than five) or edit a KCI of a draft plan (R45)."""
    plan = lock_plan(plan)
    _require_author(plan, by)
    _require_draft(plan)
    cleaned = clean_kci_data(plan, data)
    if kci is None:
        count = plan.kcis.count()
        if count >= KCI_COUNT:
            raise ValidationError(_("п. 46: количество КЦИ составляет пять; в плане уже %(n)s.") % {"n": count},
                                  code="kci_count")
        numbers = list(plan.kcis.values_list("number", flat=True))
        return LegacyKci.objects.create(plan=plan, number=max(numbers, default=0) + 1, **cleaned)
    kci = LegacyKci.objects.select_for_update(of=("self",)).get(pk=kci.pk, plan=plan)
    for field, value in cleaned.items():
        setattr(kci, field, value)
    kci.save()
    return kci


@transaction.atomic
def delete_kci(*, kci: LegacyKci, by) -> None:
    plan = lock_plan(kci.plan)
    _require_author(plan, by)
    _require_draft(plan)
    LegacyKci.objects.filter(pk=kci.pk, plan=plan).delete()
    # Renumber 1..n; two passes so the unique (plan, number) never collides midway.
    remaining = list(plan.kcis.order_by("number", "pk"))
    for item in remaining:
        item.number += 1000
        item.save(update_fields=["number"])
    for number, item in enumerate(remaining, start=1):
        item.number = number
        item.save(update_fields=["number"])


def refuse_kci_count(plan: LegacyPlan) -> None:
    count = plan.kcis.count()
    if count != KCI_COUNT:
        raise ValidationError(_("п. 46: количество КЦИ составляет пять; в плане %(n)s.") % {"n": count},
                              code="kci_count")


PLAN_WHO = {
    "submit": gettext_lazy("п. 43: план направляет на утверждение непосредственный руководитель."),
    "approve": gettext_lazy("п. 44: план утверждает вышестоящий руководитель."),
    "return_to_draft": gettext_lazy("п. 44: вернуть план может вышестоящий руководитель."),
}


@transaction.atomic
def plan_transition(*, plan: LegacyPlan, name: str, by, reason: str = "") -> LegacyPlan:
    """Submit for approval (direct supervisor, R43), approve or return (higher supervisor,
    R44). Exactly five KCIs at submission and approval (R46)."""
    if name not in PLAN_WHO:
        raise PermissionDenied
    current = lock_plan(plan)
    plan.entry, plan.higher_supervisor = current.entry, current.higher_supervisor
    kwargs = {}
    if name in ("submit", "approve"):
        refuse_kci_count(current)
    if name == "return_to_draft":
        kwargs["reason"] = clean_text(reason, field="reason", limit=REASON_MAX, rule=_("п. 44"),
                                      label=_("Причина возврата"),
                                      required=_("п. 44: укажите, что доработать в плане."))
    run(plan, name, by=by, who=str(PLAN_WHO[name]), **kwargs)
    if name == "submit" and plan.higher_supervisor is not None:
        notify_employee(
            employee=plan.higher_supervisor, key=f"R44:legacy:{plan.pk}:{plan.history.count()}", rule_id="R44",
            subject=_("Индивидуальный план работы на утверждение"),
            body=_("Непосредственный руководитель направил на ваше утверждение индивидуальный план работы за "
                   "%(p)s (п. 44 Методики).") % {"p": plan.entry.schedule.period})
    return plan
