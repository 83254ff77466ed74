import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appraisal import roles
from appraisal.access import refusal_text
from appraisal.models import Organisation, Role, WorkingDayOverride
from appraisal.services.calendar import add_override, delete_override
from appraisal.services.periods import deadlines_ahead
from appraisal.workdays import WorkingCalendar


class OverrideForm(forms.ModelForm):
    class Meta:
        model = WorkingDayOverride
        fields = ["date", "is_working", "reason"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
        labels = {"is_working": gettext_lazy("рабочий день (перенос выходного на этот день)")}

    def validate_unique(self):
        """The service refuses a second override of a day, with a message naming WD."""


@login_required
def overrides(request):
    """WD: decrees the holidays package does not know yet. The calendar is national: the
    installation-level role enters them; a body's chief specialist sees the calendar and her
    body's deadlines read-only."""
    chief_of = sorted(roles.organisations_with_role(request.user, Role.CHIEF_SPECIALIST))
    may_edit = roles.is_installation_admin(request.user)
    if not (chief_of or may_edit):
        raise Http404
    form = OverrideForm(request.POST or None) if may_edit else None
    if request.method == "POST":
        if not may_edit:
            raise Http404
        if "delete" in request.POST:
            pk = request.POST["delete"]
            try:
                delete_override(pk=int(pk) if pk.isdigit() else 0, by=request.user)
            except ValidationError as exc:
                messages.error(request, refusal_text(exc))
            else:
                messages.success(request, _("Исключение удалено; сроки пересчитаны."))
            return redirect("calendar_overrides")
        if form.is_valid():
            data = form.cleaned_data
            try:
                add_override(day=data["date"], is_working=data["is_working"], reason=data["reason"], by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Исключение календаря сохранено; сроки пересчитаны."))
                return redirect("calendar_overrides")
    calendar = WorkingCalendar.load()
    today = timezone.localdate()
    reasons = dict(WorkingDayOverride.objects.values_list("date", "reason"))
    upcoming = []
    for offset in range(0, 45):
        day = today + dt.timedelta(days=offset)
        working, weekend = calendar.is_working_day(day), day.weekday() >= 5
        if working == weekend:  # a weekday off or a weekend day worked: worth showing
            upcoming.append((day, working, reasons.get(day) or calendar.holiday_name(day) or ""))
    organisation = Organisation.objects.get(pk=chief_of[0]) if chief_of else None
    return render(request, "appraisal/calendar.html", {
        "form": form, "may_edit": may_edit, "overrides": WorkingDayOverride.objects.all(), "upcoming": upcoming,
        # The deadlines follow a body's own edition: shown to its chief specialist only.
        "deadlines": deadlines_ahead(today, organisation, calendar=calendar) if organisation else None,
        "organisation": organisation,
    })
