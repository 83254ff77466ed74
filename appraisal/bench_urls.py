"""The benchmark's URLs (appraisal.bench_settings): the production URLs plus the floor view."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from appraisal.models import Organisation
from appraisal.urls import urlpatterns as production_urlpatterns

FLOOR_URL = "/bench/floor/"
LAYOUT_URL = "/bench/layout/"


@login_required
def floor(request):
    """One query behind the whole middleware stack (session, user, CSRF, CSP, axes …): the
    fastest a logged-in page can be on this machine."""
    return HttpResponse(f"{Organisation.objects.count()}", content_type="text/plain")


@login_required
def layout(request):
    """The same query inside the site's layout (base.html: navigation by role, language
    switch, messages) and nothing else: what any page of the application costs at least, so
    that a page's ratio can be read against what no page can go below."""
    return render(request, "base.html", {"count": Organisation.objects.count()})


urlpatterns = [path(FLOOR_URL.strip("/") + "/", floor, name="bench_floor"),
               path(LAYOUT_URL.strip("/") + "/", layout, name="bench_layout"), *production_urlpatterns]
