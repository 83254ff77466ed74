"""Pages of chapter 2. Thin: fetch for this user (anything invisible is a 404 on GET and POST
alike, R20), call one service, render."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal.access import add_field_errors, get_for_user, refusal_text
from appraisal.editions import edition_on
from appraisal.models import Organisation
from appraisal.pdf import chief_specialist_name, pdf_response
from appraisal.roles import home_organisation_id, role_map
from appraisal.scoring import gradation_for
from appraisal.services.results import annual_result, annual_title
from appraisal.uploads import detect_file_kind, private_file_response
from appraisal.validation import clean_int
from kci import selectors, services
from kci.forms import ActualForm, AmendmentForm, KciForm
from kci.models import Kci, PlanState, SheetState, is_chief, is_evaluator


def _plan(request, plan_id: int):
    return get_for_user(selectors.plans_for_user(request.user), pk=plan_id)


def _sheet(request, sheet_id: int):
    return get_for_user(selectors.sheets_for_user(request.user), pk=sheet_id)


# --- overview -----------------------------------------------------------------------------


@login_required
def index(request):
    today = timezone.localdate()
    rows = selectors.overview_rows(request.user, today, limit=40)
    return render(request, "kci/index.html", {"rows": rows, "today": today})


@login_required
@require_POST
def plan_create(request, entry_id: int):
    entry = get_for_user(selectors.kci_entries_for_user(request.user), pk=entry_id)
    try:
        plan = services.create_plan(entry=entry, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
        return redirect("kci:index")
    return redirect("kci:plan_detail", plan_id=plan.pk)


# --- the plan -----------------------------------------------------------------------------


def _plan_context(request, plan, form=None, amend_form=None):
    today = timezone.localdate()
    user = request.user
    available = list(plan.get_available_user_state_transitions(user))
    transitions = [t for t in available if t.name != "amend"]
    can_amend = any(t.name == "amend" for t in available) and services.amendment_open(plan)
    editable = plan.state == PlanState.DRAFT and is_evaluator(plan.entry, user)
    chief = is_chief(plan.entry, user)
    return {
        "plan": plan, "period": plan.entry.schedule.period, "entry": plan.entry,
        "kcis": list(plan.kcis.all()),
        "form": form or (KciForm() if editable else None),
        "editable": editable,
        "transitions": transitions,
        "amend_form": amend_form or (AmendmentForm() if can_amend else None),
        "deadlines": selectors.plan_deadlines(plan, today),
        "versions": list(plan.versions.order_by("-number")),
        "sheet": selectors.sheet_for(plan),
        "can_open_sheet": plan.state == PlanState.POSTED and chief,
        "is_chief": chief,
        "today": today,
    }


@login_required
def plan_detail(request, plan_id: int):
    plan = _plan(request, plan_id)
    return render(request, "kci/plan_detail.html", _plan_context(request, plan))


@login_required
@require_POST
def kci_add(request, plan_id: int):
    plan = _plan(request, plan_id)
    form = KciForm(request.POST)
    try:
        services.save_kci(plan=plan, by=request.user, data=form.data.dict())
    except PermissionDenied as exc:
        messages.error(request, refusal_text(exc))
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            add_field_errors(form, exc)
            messages.error(request, _("КЦИ не добавлен: исправьте поля (п. 24)."))
        else:
            messages.error(request, refusal_text(exc))
        return render(request, "kci/plan_detail.html", _plan_context(request, plan, form=form), status=400)
    else:
        messages.success(request, _("КЦИ добавлен."))
    return redirect("kci:plan_detail", plan_id=plan.pk)


@login_required
def kci_edit(request, plan_id: int, kci_id: int):
    plan = _plan(request, plan_id)
    kci = get_for_user(Kci.objects.filter(plan=plan), pk=kci_id)
    if request.method == "POST":
        form = KciForm(request.POST, instance=kci)
        try:
            services.save_kci(plan=plan, by=request.user, data=form.data.dict(), kci=kci)
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
                add_field_errors(form, exc)
            messages.error(request, refusal_text(exc))
            return render(request, "kci/kci_edit.html", {"plan": plan, "kci": kci, "form": form}, status=400)
        messages.success(request, _("КЦИ сохранён."))
        return redirect("kci:plan_detail", plan_id=plan.pk)
    return render(request, "kci/kci_edit.html", {"plan": plan, "kci": kci, "form": KciForm(instance=kci)})


@login_required
@require_POST
def kci_delete(request, plan_id: int, kci_id: int):
    plan = _plan(request, plan_id)
    kci = get_for_user(Kci.objects.filter(plan=plan), pk=kci_id)
    try:
        services.delete_kci(kci=kci, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("КЦИ удалён."))
    return redirect("kci:plan_detail", plan_id=plan.pk)


@login_required
@require_POST
def plan_transition(request, plan_id: int, name: str):
    plan = _plan(request, plan_id)
    try:
        services.plan_transition(plan=plan, name=name, by=request.user, reason=request.POST.get("reason", ""),
                                 basis=request.POST.get("basis", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Индивидуальный план: %(s)s.") % {"s": plan.get_state_display()})
    return redirect("kci:plan_detail", plan_id=plan.pk)


# --- preliminary calculation and the score sheet -------------------------------------------


@login_required
@require_POST
def sheet_open(request, plan_id: int):
    plan = _plan(request, plan_id)
    try:
        sheet = services.ensure_sheet(plan=plan, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
        return redirect("kci:plan_detail", plan_id=plan.pk)
    return redirect("kci:sheet_detail", sheet_id=sheet.pk)


@login_required
def sheet_detail(request, sheet_id: int):
    sheet = _sheet(request, sheet_id)
    entry = sheet.plan.entry
    user = request.user
    lines = list(sheet.lines.select_related("kci").order_by("kci__number"))
    for line in lines:
        line.options = line.admissible_list
    today = timezone.localdate()
    return render(request, "kci/sheet_detail.html", {
        "sheet": sheet, "plan": sheet.plan, "entry": entry, "period": entry.schedule.period, "lines": lines,
        "can_enter": sheet.state == SheetState.PRELIMINARY and is_chief(entry, user),
        "can_score": sheet.state == SheetState.SENT and is_evaluator(entry, user),
        "transitions": [t for t in sheet.get_available_user_state_transitions(user) if t.name != "submit"],
        "deadlines": [d for d in selectors.plan_deadlines(sheet.plan, today) if d.rule_id in ("R22.6", "R22.5")],
        "result": getattr(entry, "result", None) if sheet.state == SheetState.SUBMITTED else None,
        "actual_form": ActualForm(),
    })


@login_required
@require_POST
def line_actual(request, sheet_id: int, line_id: int):
    sheet = _sheet(request, sheet_id)
    line = get_for_user(sheet.lines.all(), pk=line_id)
    try:
        services.save_actual(line=line, by=request.user, actual=request.POST.get("actual", ""),
                             note=request.POST.get("note", ""), evidence=request.FILES.get("evidence"))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Фактическое значение КЦИ № %(n)s сохранено.") % {"n": line.kci.number})
    return redirect("kci:sheet_detail", sheet_id=sheet.pk)


@login_required
def line_evidence(request, sheet_id: int, line_id: int):
    sheet = _sheet(request, sheet_id)
    line = get_for_user(sheet.lines.all(), pk=line_id)
    if not line.evidence:
        raise Http404
    # Only a PDF may open in the browser; anything else is a download (and nosniff, from
    # private_file_response, keeps the browser from treating it as a page).
    line.evidence.open("rb")
    kind = detect_file_kind(line.evidence)
    return private_file_response(line.evidence, as_attachment=kind != "pdf")


@login_required
@require_POST
def sheet_transition(request, sheet_id: int, name: str):
    sheet = _sheet(request, sheet_id)
    try:
        if name == "send":
            services.send_sheet(sheet=sheet, by=request.user)
        elif name == "return_calculation":
            services.return_sheet(sheet=sheet, by=request.user, reason=request.POST.get("reason", ""))
        elif name == "submit":
            scores = {line.pk: (request.POST.get(f"score_{line.pk}"), request.POST.get(f"comment_{line.pk}", ""))
                      for line in sheet.lines.all()}
            services.submit_sheet(sheet=sheet, by=request.user, scores=scores)
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Оценочный лист: %(s)s.") % {"s": sheet.get_state_display()})
    return redirect("kci:sheet_detail", sheet_id=sheet.pk)


# --- the head's own page --------------------------------------------------------------------


@login_required
def my_kci(request):
    entries = list(selectors.kci_entries_for_user(request.user).filter(employee__user=request.user))
    years = sorted({e.schedule.period.year for e in entries}, reverse=True)
    annual = []
    for year in years:
        found = annual_result(employee_id=entries[0].employee_id, year=year, method="kci")
        if found:
            annual.append({"year": year, "score": found[0], "gradation": gradation_for(found[0]), "quarters": found[2],
                           "title": annual_title(year=year, quarters=found[2])})
    return render(request, "kci/my.html", {"entries": entries, "annual": annual})


# --- appendix 3 -----------------------------------------------------------------------------


def _require_table_access(user) -> None:
    """Appendix 3 is methodology data, not a result: anyone with a role in the process or a
    KCI line of their own (the head) may read it; others get a 404 like everywhere else."""
    if not role_map(user) and not selectors.kci_entries_for_user(user).exists():
        raise Http404


@login_required
def score_table(request):
    _require_table_access(request.user)
    organisation_id = home_organisation_id(request.user)  # each body has its own table
    table = services.score_table(edition_on(timezone.localdate(), organisation_id))
    can_edit = table.edition.organisation_id is not None and services.is_chief_of(request.user, organisation_id)
    if request.method == "POST":
        if not can_edit:
            raise Http404
        try:
            row_count = clean_int(request.POST.get("row_count") or 0, rule=_("п. 27"), label=_("число строк таблицы"),
                                  min_value=0, max_value=2 * services.MAX_TABLE_ROWS)
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
            return redirect("kci:score_table")
        rows = []
        for i in range(row_count):
            low = (request.POST.get(f"from_{i}") or "").strip()
            if low == "" or request.POST.get(f"delete_{i}"):
                continue
            rows.append({"percent_from": low, "percent_to": (request.POST.get(f"to_{i}") or "").strip(),
                         "scores": request.POST.get(f"scores_{i}", "")})
        try:
            services.save_score_table(table=table, rows=rows, confirm=bool(request.POST.get("confirm")),
                                      by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, _("Таблица допустимых оценок сохранена."))
        return redirect("kci:score_table")
    rows = list(table.rows.all())
    return render(request, "kci/score_table.html", {
        "table": table, "rows": rows, "can_edit": can_edit, "blank_rows": range(len(rows), len(rows) + 2),
        "history": table.history.select_related("history_user")[:20],
    })


# --- PDF forms 1–3 ------------------------------------------------------------------------


def _pdf_common(entry):
    return {"organisation": entry.schedule.organisation.name, "period": entry.schedule.period, "entry": entry}


@login_required
def plan_pdf(request, plan_id: int):
    plan = get_for_user(selectors.plans_printable_for(request.user), pk=plan_id)
    context = {**_pdf_common(plan.entry), "plan": plan, "kcis": list(plan.kcis.all()),
               "draft": plan.state not in selectors.FINAL_PLAN_STATES,
               "appendix": _("Приложение 1 к Типовой методике"), "form_title": _("Индивидуальный план работы")}
    return pdf_response("pdf/kci_plan.html", context, f"kci-plan-{plan.pk}-v{plan.version}.pdf", request)


@login_required
def sheet_pdf(request, sheet_id: int):
    sheet = _sheet(request, sheet_id)
    entry = sheet.plan.entry
    # The evaluated head reaches a submitted sheet only (sheets_for_user); others print drafts marked.
    context = {**_pdf_common(entry), "sheet": sheet, "plan": sheet.plan, "draft": sheet.state != SheetState.SUBMITTED,
               "lines": list(sheet.lines.select_related("kci").order_by("kci__number")),
               "gradation": gradation_for(sheet.score) if sheet.score is not None else None,
               "appendix": _("Приложение 2 к Типовой методике"), "form_title": _("Оценочный лист КЦИ")}
    return pdf_response("pdf/kci_sheet.html", context, f"kci-sheet-{sheet.pk}.pdf", request)


@login_required
def score_table_pdf(request):
    _require_table_access(request.user)
    organisation_id = home_organisation_id(request.user)
    edition = edition_on(timezone.localdate(), organisation_id)
    table = services.score_table(edition)
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    context = {"organisation": organisation.name if organisation else "", "table": table, "rows": list(table.rows.all()),
               "edition": edition, "appendix": _("Приложение 3 к Типовой методике"),
               "form_title": _("Таблица допустимых оценок по проценту достижения КЦИ"),
               "today": dt.date.today(), "chief_specialist": chief_specialist_name(organisation) if organisation else ""}
    return pdf_response("pdf/kci_table.html", context, "kci-appendix-3.pdf", request)
