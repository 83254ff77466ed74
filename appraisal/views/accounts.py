from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from appraisal.access import organisation_for_role, refusal_text
from appraisal.models import Role
from appraisal.services.accounts import locked_accounts, unlock_account


@login_required
@require_http_methods(["GET", "POST"])
def lockouts(request):
    """Accounts locked after repeated wrong passwords, unlocked by the chief specialist."""
    organisation = organisation_for_role(request.user, Role.CHIEF_SPECIALIST)
    if request.method == "POST":
        try:
            unlock_account(username=request.POST.get("username", ""), by=request.user)
        except PermissionDenied as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, _("Вход разблокирован."))
        return redirect("lockouts")
    return render(request, "appraisal/lockouts.html",
                  {"organisation": organisation, "locked": locked_accounts(request.user)})
