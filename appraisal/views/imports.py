"""Staff import: upload → preview of every row with its errors → save (chief specialist only).

The upload is read once and kept as a `StaffImport` (its rows, never the browser's copy);
the session only remembers which upload this browser is looking at. The preview is checked
again on each GET against today's data (cheap: no file parsing), and «Сохранить» imports the
upload exactly once (appraisal.services.staff_import.confirm_upload).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appraisal import import_jobs
from appraisal.access import organisation_for_role
from appraisal.models import Role, StaffImport, StaffImportState
from appraisal.services.staff_file import MAX_FILE_BYTES, MAX_ROWS
from appraisal.services.staff_import import (
    COLUMNS,
    cancel_upload,
    column_title,
    confirm_upload,
    store_upload,
    upload_preview,
)

SESSION_KEY = "staff_import_upload"


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


def _pending_upload(request, organisation) -> StaffImport | None:
    upload_id = request.session.get(SESSION_KEY)
    if not isinstance(upload_id, int):
        return None
    return StaffImport.objects.filter(pk=upload_id, organisation=organisation,
                                      state=StaffImportState.PENDING).select_related("organisation").first()


@login_required
def staff_import(request):
    organisation = organisation_for_role(request.user, Role.CHIEF_SPECIALIST)
    form = UploadForm()
    if request.method == "POST":
        action = request.POST.get("action", "upload")
        if action == "cancel":
            upload = _pending_upload(request, organisation)
            if upload is not None:
                cancel_upload(upload=upload, by=request.user)
            request.session.pop(SESSION_KEY, None)
            return redirect("staff_import")
        if action == "confirm":
            upload = _pending_upload(request, organisation)
            if upload is None:
                messages.error(request, _("Файл для импорта не найден (уже сохранён или отменён): загрузите его ещё раз."))
                return redirect("staff_import")
            if import_jobs.runs_as_job(upload):
                # a large file is applied by the task runner; its page shows the progress and the result
                job = import_jobs.start_staff_import(upload=upload, user=request.user)
                request.session.pop(SESSION_KEY, None)
                return redirect("job_detail", job.pk)
            try:
                summary = confirm_upload(upload=upload, by=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("staff_import")
            request.session.pop(SESSION_KEY, None)
            messages.success(request, import_jobs.summary_text(summary))
            return redirect("home")
        form = UploadForm(request.POST, request.FILES)
        # A new file replaces the previous one even when the form refuses it: left under
        # «Сохранить», the file she meant to replace would be one click from being imported.
        previous = _pending_upload(request, organisation)
        if previous is not None:
            cancel_upload(upload=previous, by=request.user)
            request.session.pop(SESSION_KEY, None)
        if form.is_valid():
            upload = store_upload(organisation=organisation, uploaded_file=form.cleaned_data["file"], by=request.user)
            request.session[SESSION_KEY] = upload.pk
            return redirect("staff_import")
    upload = _pending_upload(request, organisation)
    preview = upload_preview(upload) if upload else None
    return render(request, "appraisal/staff_import.html", {
        "organisation": organisation,
        "form": form,
        "preview": preview,
        "max_rows": MAX_ROWS,
        "columns": [(name, column_title(name), required) for name, (_header, required, _v) in COLUMNS.items()],
    })
