import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appraisal.access import organisation_for_role
from appraisal.models import Role, WorkingDayOverride
from appraisal.workdays import WorkingCalendar


class OverrideForm(forms.ModelForm):
    class Meta:
        model = WorkingDayOverride
        fields = ["date", "is_working", "reason"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
        labels = {"is_working": gettext_lazy("рабочий день (перенос выходного на этот день)")}


@login_required
def overrides(request):
    """WD: the chief specialist enters decrees the holidays package does not know yet."""
    organisation_for_role(request.user, Role.CHIEF_SPECIALIST)
    form = OverrideForm(request.POST or None)
    if request.method == "POST":
        if "delete" in request.POST:
            pk = request.POST["delete"]
            if pk.isdigit() and WorkingDayOverride.objects.filter(pk=int(pk)).delete()[0]:
                messages.success(request, _("Исключение удалено."))
            else:
                messages.error(request, _("Исключение не найдено."))
            return redirect("calendar_overrides")
        if form.is_valid():
            form.save()
            messages.success(request, _("Исключение календаря сохранено."))
            return redirect("calendar_overrides")
    calendar = WorkingCalendar.load()
    today = timezone.localdate()
    upcoming = []
    for offset in range(0, 45):
        day = today + dt.timedelta(days=offset)
        working, weekend = calendar.is_working_day(day), day.weekday() >= 5
        if working == weekend:  # a weekday off or a weekend day worked: worth showing
            upcoming.append((day, working, calendar.holiday_name(day) or ""))
    return render(request, "appraisal/calendar.html", {
        "form": form, "overrides": WorkingDayOverride.objects.all(), "upcoming": upcoming,
    })
