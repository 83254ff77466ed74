from django.contrib.auth.decorators import login_required
from django.http import Http404


@login_required
def staff_import(request):
    # Being written: CSV/XLSX staff import with a preview (appraisal.services.staff_import).
    raise Http404
