"""Pages of chapter 6, the plan (appendix 9). Thin: fetch for this user (anything invisible
is a 404 on GET and POST alike, R20), call one service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal.access import add_field_errors, get_for_user, refusal_text
from appraisal.pdf import pdf_response
from legacy_commission import selectors
from legacy_commission.forms import LegacyKciForm
from legacy_commission.models import KCI_COUNT, LegacyKci, LegacyPlanState
from legacy_commission.models.plan import is_chief, is_higher_supervisor, is_supervisor
from legacy_commission.services import plans as services


def get_plan(request, legacy_plan_id: int):
    return get_for_user(selectors.plans_for_user(request.user), pk=legacy_plan_id)


def get_sheet(request, legacy_sheet_id: int):
    return get_for_user(selectors.sheets_for_user(request.user), pk=legacy_sheet_id)


@login_required
def index(request):
    """Chapter-6 lines the user may see, with their plan and sheet and the flagged deadlines."""
    today = timezone.localdate()
    return render(request, "legacy_commission/index.html",
                  {"rows": selectors.overview_rows(request.user, today), "today": today})


@login_required
@require_POST
def plan_create(request, entry_id: int):
    entry = get_for_user(selectors.legacy_entries_for_user(request.user), pk=entry_id)
    try:
        plan = services.create_plan(entry=entry, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
        return redirect("legacy_commission:index")
    return redirect("legacy_commission:plan_detail", legacy_plan_id=plan.pk)


def _plan_context(request, plan, form=None):
    user = request.user
    today = timezone.localdate()
    editable = plan.is_editable and is_supervisor(plan, user)
    kcis = list(plan.kcis.all())
    sheet = selectors.sheet_of(plan)
    return {
        "plan": plan, "entry": plan.entry, "period": plan.entry.schedule.period, "kcis": kcis,
        "kci_count": KCI_COUNT, "editable": editable,
        "form": form or (LegacyKciForm() if editable and len(kcis) < KCI_COUNT else None),
        "transitions": list(plan.get_available_user_state_transitions(user)),
        "deadlines": selectors.deadlines(plan, today),
        "sheet": sheet if sheet and (not sheet.is_draft or plan.entry.employee.user_id != user.pk) else None,
        "can_open_sheet": sheet is None and plan.state == LegacyPlanState.APPROVED and is_supervisor(plan, user),
        "is_evaluator": is_supervisor(plan, user) or is_higher_supervisor(plan, user) or is_chief(plan, user),
        "history": plan.history.select_related("history_user")[:20] if plan.entry.employee.user_id != user.pk else [],
    }


@login_required
def plan_detail(request, legacy_plan_id: int):
    plan = get_plan(request, legacy_plan_id)
    return render(request, "legacy_commission/plan_detail.html", _plan_context(request, plan))


@login_required
@require_POST
def kci_add(request, legacy_plan_id: int):
    plan = get_plan(request, legacy_plan_id)
    form = LegacyKciForm(request.POST)
    try:
        services.save_kci(plan=plan, by=request.user, data=form.data.dict())
    except PermissionDenied as exc:
        messages.error(request, refusal_text(exc))
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            add_field_errors(form, exc)
            messages.error(request, _("КЦИ не добавлен: исправьте поля (п. 45)."))
        else:
            messages.error(request, refusal_text(exc))
        return render(request, "legacy_commission/plan_detail.html", _plan_context(request, plan, form=form),
                      status=400)
    else:
        messages.success(request, _("КЦИ добавлен."))
    return redirect("legacy_commission:plan_detail", legacy_plan_id=plan.pk)


@login_required
def kci_edit(request, legacy_plan_id: int, legacy_kci_id: int):
    plan = get_plan(request, legacy_plan_id)
    kci = get_for_user(LegacyKci.objects.filter(plan=plan), pk=legacy_kci_id)
    if request.method == "POST":
        form = LegacyKciForm(request.POST, instance=kci)
        try:
            services.save_kci(plan=plan, by=request.user, data=form.data.dict(), kci=kci)
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
                add_field_errors(form, exc)
            messages.error(request, refusal_text(exc))
            return render(request, "legacy_commission/kci_edit.html", {"plan": plan, "kci": kci, "form": form},
                          status=400)
        messages.success(request, _("КЦИ сохранён."))
        return redirect("legacy_commission:plan_detail", legacy_plan_id=plan.pk)
    if not (plan.is_editable and is_supervisor(plan, request.user)):
        return redirect("legacy_commission:plan_detail", legacy_plan_id=plan.pk)
    return render(request, "legacy_commission/kci_edit.html",
                  {"plan": plan, "kci": kci, "form": LegacyKciForm(instance=kci)})


@login_required
@require_POST
def kci_delete(request, legacy_plan_id: int, legacy_kci_id: int):
    plan = get_plan(request, legacy_plan_id)
    kci = get_for_user(LegacyKci.objects.filter(plan=plan), pk=legacy_kci_id)
    try:
        services.delete_kci(kci=kci, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("КЦИ удалён."))
    return redirect("legacy_commission:plan_detail", legacy_plan_id=plan.pk)


@login_required
@require_POST
def plan_transition(request, legacy_plan_id: int, name: str):
    plan = get_plan(request, legacy_plan_id)
    try:
        services.plan_transition(plan=plan, name=name, by=request.user, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Индивидуальный план: %(s)s.") % {"s": plan.get_state_display()})
    return redirect("legacy_commission:plan_detail", legacy_plan_id=plan.pk)


def pdf_common(entry) -> dict:
    return {"organisation": entry.schedule.organisation.name, "period": entry.schedule.period, "entry": entry}


@login_required
def plan_pdf(request, legacy_plan_id: int):
    """Appendix 9. A plan not yet approved prints «ПРОЕКТ» across each page; the evaluated
    person never reaches one (plans_for_user)."""
    plan = get_plan(request, legacy_plan_id)
    context = {**pdf_common(plan.entry), "plan": plan, "kcis": list(plan.kcis.all()),
               "draft": plan.state != LegacyPlanState.APPROVED,
               "appendix": _("Приложение 9 к Типовой методике"), "form_title": _("Индивидуальный план работы")}
    return pdf_response("pdf/legacy_plan.html", context, f"legacy-plan-{plan.pk}.pdf", request)
