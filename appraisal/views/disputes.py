"""R16: the chief specialist's register of procedure disputes (list, add, resolve).

Pages for the chief specialist only: anyone else gets a 404 on GET and POST alike."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appraisal.access import get_for_user, organisation_for_role, refusal_text
from appraisal.models import Dispute, Employee, Role
from appraisal.models.disputes import RAISED_BY_TEXT_MAX
from appraisal.services.disputes import register_dispute, resolve_dispute


class DisputeForm(forms.Form):
    raised_by = forms.ModelChoiceField(label=gettext_lazy("Заявитель — служащий"), queryset=Employee.objects.none(),
                                       required=False)
    raised_by_text = forms.CharField(label=gettext_lazy("или иное лицо (ФИО, должность)"), required=False,
                                     max_length=RAISED_BY_TEXT_MAX)
    raised_on = forms.DateField(label=gettext_lazy("Дата обращения"), widget=forms.DateInput(attrs={"type": "date"}))
    subject = forms.CharField(label=gettext_lazy("Предмет спора"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raised_by"].queryset = Employee.objects.filter(organisation=organisation)


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=gettext_lazy("Решение"), widget=forms.Textarea(attrs={"rows": 4}))
    resolved_on = forms.DateField(label=gettext_lazy("Дата решения"), widget=forms.DateInput(attrs={"type": "date"}))


@login_required
def dispute_list(request):
    organisation = organisation_for_role(request.user, Role.CHIEF_SPECIALIST)
    form = DisputeForm(request.POST or None, organisation=organisation,
                       initial={"raised_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dispute = register_dispute(organisation=organisation, raised_by=data["raised_by"],
                                       raised_by_text=data["raised_by_text"], raised_on=data["raised_on"],
                                       subject=data["subject"], by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("Спор внесён в реестр."))
            return redirect("dispute_detail", dispute_id=dispute.pk)
    disputes = Dispute.objects.filter(organisation=organisation).select_related("raised_by")
    return render(request, "appraisal/disputes.html", {"form": form, "disputes": disputes})


@login_required
def dispute_detail(request, dispute_id: int):
    organisation = organisation_for_role(request.user, Role.CHIEF_SPECIALIST)
    dispute = get_for_user(Dispute.objects.filter(organisation=organisation).select_related("raised_by"), pk=dispute_id)
    form = ResolveForm(request.POST or None, initial={"resolved_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            resolve_dispute(dispute=dispute, resolution=form.cleaned_data["resolution"],
                            resolved_on=form.cleaned_data["resolved_on"], by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("Решение по спору записано."))
            return redirect("dispute_detail", dispute_id=dispute.pk)
    history = dispute.history.select_related("history_user").order_by("-history_date")
    return render(request, "appraisal/dispute_detail.html", {"dispute": dispute, "form": form, "history": history})
