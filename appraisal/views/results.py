"""The core result page (R7 value, R11 acknowledgement) and the chapters' panels beneath it.

Every view fetches the result through appraisal.selectors.results_visible_to, so anyone
R20 does not name gets a 404 on GET and POST alike; the services check the role again.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from appraisal import roles
from appraisal.access import get_for_user, refusal_text
from appraisal.models import NOTICE_CHANNELS, AcknowledgementChannel, PeriodResult, Role
from appraisal.selectors import results_visible_to
from appraisal.services import acknowledgement as ack
from appraisal.uploads import private_file_response


class NoticeForm(forms.Form):
    """R11.2: the fields only; the rules (dates, proof, the scan's bytes) are the service's."""

    channel = forms.ChoiceField(label=gettext_lazy("Способ извещения"),
                                choices=[(c, AcknowledgementChannel(c).label) for c in NOTICE_CHANNELS])
    date = forms.DateField(label=gettext_lazy("Дата извещения (вручения)"),
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    reference = forms.CharField(label=gettext_lazy("Реквизиты подтверждения"), required=False,
                                max_length=ack.REFERENCE_MAX_LENGTH,
                                help_text=gettext_lazy("Номер почтового уведомления о вручении, телефонограммы, "
                                                       "телеграммы. Для SMS и e-mail, отправленных системой, не "
                                                       "требуется: подтверждением служит запись об отправке."))
    scan = forms.FileField(label=gettext_lazy("Скан подтверждения (PDF, JPEG или PNG, не более 5 МБ)"),
                           required=False, widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))


def _result_for(user, result_id: int) -> PeriodResult:
    return get_for_user(
        results_visible_to(user).select_related("acknowledgement", "entry__evaluator",
                                                "entry__schedule__organisation"),
        pk=result_id)


def _page(request, result: PeriodResult, form: NoticeForm | None = None, status: int = 200):
    entry = result.entry
    status_row = ack.statuses([result])[0]
    is_person = entry.employee.user_id == request.user.pk
    may_notice = ack.may_record_notice(result, request.user)
    is_chief = roles.has_role(request.user, entry.schedule.organisation_id, Role.CHIEF_SPECIALIST)
    acknowledgement = status_row.acknowledgement
    return render(request, "appraisal/result_detail.html", {
        "result": result, "entry": entry, "acknowledgement": acknowledgement, "status": status_row,
        "is_person": is_person,
        "may_acknowledge": is_person and acknowledgement is None,
        "earlier_acknowledgements": ack.earlier_acknowledgements(result) if acknowledgement is None else [],
        "may_notice": may_notice,
        "notice_form": (form or NoticeForm(initial={"date": timezone.localdate()})) if may_notice else None,
        # The notice's delivery record: for the person and the chief specialist.
        "notices": ack.result_notices(result) if (is_person or is_chief) else [],
        "proof_notices": list(acknowledgement.notices.all()) if acknowledgement else [],
    }, status=status)


@login_required
def result_detail(request, result_id: int):
    result = _result_for(request.user, result_id)  # first: an outsider's POST is a 404 too
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return _page(request, result)


@login_required
@require_POST
def result_acknowledge(request, result_id: int):
    result = _result_for(request.user, result_id)
    try:
        ack.acknowledge(result=result, user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Ознакомление с результатом отмечено."))
    return redirect("result_detail", result_id=result.pk)


@login_required
@require_POST
def result_notice(request, result_id: int):
    result = _result_for(request.user, result_id)
    form = NoticeForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            ack.record_notice(result=result, by=request.user, channel=form.cleaned_data["channel"],
                              date=form.cleaned_data["date"], reference=form.cleaned_data["reference"],
                              scan=form.cleaned_data["scan"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, refusal_text(exc))
            return _page(request, result, form, status=400)
        messages.success(request, _("Извещение о результате зафиксировано (п. 11.2)."))
        return redirect("result_detail", result_id=result.pk)
    return _page(request, result, form, status=400)


@login_required
@require_GET
def result_notice_scan(request, result_id: int):
    """The R11.2 scan: private, served only to those R20 names."""
    result = _result_for(request.user, result_id)
    acknowledgement = ack.acknowledgement_of(result)
    if acknowledgement is None or not acknowledgement.scan:
        raise Http404
    return private_file_response(acknowledgement.scan,
                                 download_name=f"notice-{result.pk}.{acknowledgement.scan.name.rsplit('.', 1)[-1]}")
