"""R14: the chief specialist's list of evaluation documents past their three years, the
confirmation step, and the record of disposals. Anyone else gets a 404 on GET and POST."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from appraisal.access import organisation_for_role, refusal_text
from appraisal.models import Role
from appraisal.services.retention import disposals_of, dispose, lines_due


@login_required
def retention_list(request):
    organisation = organisation_for_role(request.user, Role.CHIEF_SPECIALIST)
    return render(request, "appraisal/retention.html", {
        "due": lines_due(organisation=organisation), "disposals": disposals_of(organisation),
    })


def _chosen_ids(request) -> list[int]:
    return sorted({int(v) for v in request.POST.getlist("entry") if v.isdigit()})


@login_required
def retention_dispose(request):
    """Two steps: the chosen lines are shown again with what will be destroyed; only the
    second POST, with `confirm`, destroys them. The role is asked first, so the page is a
    404 for anyone else whatever the method."""
    organisation = organisation_for_role(request.user, Role.CHIEF_SPECIALIST)
    if request.method != "POST":
        return redirect("retention_list")
    chosen = _chosen_ids(request)
    due = [line for line in lines_due(organisation=organisation) if line.entry.pk in chosen]
    if not due or len(due) != len(chosen):
        messages.error(request, _("п. 14: выберите строки из списка документов с истёкшим сроком хранения."))
        return redirect("retention_list")
    if request.POST.get("confirm") != "yes":
        return render(request, "appraisal/retention_confirm.html", {"due": due})
    try:
        disposals = dispose(entry_ids=[line.entry.pk for line in due], by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Документы оценки уничтожены: %(n)s чел.; акт уничтожения сохранён.")
                         % {"n": len(disposals)})
    return redirect("retention_list")
