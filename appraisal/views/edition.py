from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from appraisal.models import MethodologyEdition


@login_required
def edition_page(request):
    """D2, D3: the edition in force, its dates and which of its rules expire when."""
    editions = MethodologyEdition.objects.prefetch_related("rule_validities")
    return render(request, "appraisal/edition.html", {"editions": editions, "today": timezone.localdate()})
