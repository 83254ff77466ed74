"""Pages of the appeals of the Commission's decision (R67, R68). Thin: fetch for this user
(404 for anyone else, R20), call one service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal import roles
from appraisal.access import get_for_user, refusal_text
from appraisal.models import Role
from legacy_commission import selectors_commission as selectors
from legacy_commission.models import AppealOutcome
from legacy_commission.services import appeals as services
from legacy_commission.views.commission import parse_date, post_id


@login_required
@require_POST
def appeal_file(request, meeting_id: int):
    # The person appeals from their result page without seeing the meeting (R20): the item
    # is fetched among those the user may appeal against, anyone else gets a 404.
    item = get_for_user(selectors.appealable_items_for_user(request.user).filter(meeting_id=meeting_id),
                        pk=post_id(request, "item"))
    try:
        appeal = services.file_appeal(item=item, body=request.POST.get("body", ""),
                                      filed_on=parse_date(request.POST.get("filed_on")), by=request.user,
                                      body_name=request.POST.get("body_name", ""),
                                      reference=request.POST.get("reference", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
        if item.result_id and not selectors.meetings_for_user(request.user).filter(pk=meeting_id).exists():
            return redirect("result_detail", result_id=item.result_id)
        return redirect("legacy_commission:meeting_detail", meeting_id=meeting_id)
    messages.success(request, _("Жалоба внесена (п. 67)."))
    return redirect("legacy_commission:appeal_detail", appeal_id=appeal.pk)


@login_required
def appeal_detail(request, appeal_id: int):
    appeal = get_for_user(selectors.appeals_for_user(request.user), pk=appeal_id)
    entry = appeal.item.sheet.plan.entry
    return render(request, "legacy_commission/appeal_detail.html", {
        "appeal": appeal, "entry": entry, "item": appeal.item, "meeting": appeal.item.meeting,
        "deadline": services.appeal_deadline(appeal.item),
        "can_record": not appeal.outcome and roles.has_role(request.user, entry.schedule.organisation_id,
                                                            Role.CHIEF_SPECIALIST),
        "outcomes": [(v, label) for v, label in AppealOutcome.choices if v],
    })


@login_required
@require_POST
def appeal_outcome(request, appeal_id: int):
    appeal = get_for_user(selectors.appeals_for_user(request.user), pk=appeal_id)
    try:
        services.record_outcome(appeal=appeal, outcome=request.POST.get("outcome", ""),
                                outcome_on=parse_date(request.POST.get("outcome_on")),
                                outcome_reference=request.POST.get("outcome_reference", ""), by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Итог рассмотрения жалобы внесён."))
    return redirect("legacy_commission:appeal_detail", appeal_id=appeal.pk)
