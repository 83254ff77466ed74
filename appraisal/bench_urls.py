"""The benchmark's URLs (appraisal.bench_settings): the production URLs plus the floor view."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from appraisal.models import Organisation
from appraisal.urls import urlpatterns as production_urlpatterns

FLOOR_URL = "/bench/floor/"


@login_required
def floor(request):
    """One query behind the whole middleware stack (session, user, CSRF, CSP, axes …): the
    fastest a logged-in page can be on this machine."""
    return HttpResponse(f"{Organisation.objects.count()}", content_type="text/plain")


urlpatterns = [path(FLOOR_URL.strip("/") + "/", floor, name="bench_floor"), *production_urlpatterns]
