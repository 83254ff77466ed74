"""Staff import: upload → preview of every row with its errors → save (chief specialist only).

Between the preview and the save the uploaded bytes stay in the session, never in the
models; the save re-reads them, so nothing the browser sends back is trusted.
"""

import base64

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appraisal.access import organisation_for_role
from appraisal.models import Role
from appraisal.services.staff_import import (
    COLUMNS,
    MAX_FILE_BYTES,
    apply_staff_import,
    parse_staff_file,
)

SESSION_KEY = "staff_import_file"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Файл со штатом (CSV или XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_FILE_BYTES:
            raise ValidationError(_("Файл больше 2 МБ."))
        if not uploaded.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("Загрузите файл .csv или .xlsx."))
        return uploaded


def _stored_file(request, organisation):
    stored = request.session.get(SESSION_KEY)
    if not stored or stored.get("organisation") != organisation.pk:
        return None
    return SimpleUploadedFile(stored["name"], base64.b64decode(stored["data"]))


@login_required
def staff_import(request):
    organisation = organisation_for_role(request.user, Role.CHIEF_SPECIALIST)
    form = UploadForm()
    if request.method == "POST":
        action = request.POST.get("action", "upload")
        if action == "cancel":
            request.session.pop(SESSION_KEY, None)
            return redirect("staff_import")
        if action == "confirm":
            uploaded = _stored_file(request, organisation)
            if uploaded is None:
                messages.error(request, _("Файл для импорта не найден: загрузите его ещё раз."))
                return redirect("staff_import")
            preview = parse_staff_file(organisation=organisation, uploaded_file=uploaded)
            try:
                summary = apply_staff_import(organisation=organisation, preview=preview, by=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("staff_import")
            request.session.pop(SESSION_KEY, None)
            messages.success(request, _(
                "Импорт штата выполнен: новых служащих — %(created)s, обновлено — %(updated)s, "
                "добавлено назначений — %(appointments)s, изменено назначений — %(changed)s, "
                "создано учётных записей — %(users)s."
            ) % {
                "created": summary.employees_created, "updated": summary.employees_updated,
                "appointments": summary.appointments_created, "changed": summary.appointments_updated,
                "users": summary.users_created,
            })
            return redirect("home")
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            request.session[SESSION_KEY] = {
                "organisation": organisation.pk,
                "name": uploaded.name,
                "data": base64.b64encode(uploaded.read()).decode("ascii"),
            }
            return redirect("staff_import")
    uploaded = _stored_file(request, organisation)
    preview = parse_staff_file(organisation=organisation, uploaded_file=uploaded) if uploaded else None
    return render(request, "appraisal/staff_import.html", {
        "organisation": organisation,
        "form": form,
        "preview": preview,
        "columns": [(name, header, required) for name, (header, required, _v) in COLUMNS.items()],
    })
