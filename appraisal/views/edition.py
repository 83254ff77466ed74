from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appraisal import roles
from appraisal.access import refusal_text
from appraisal.editions import load_editions
from appraisal.models import MethodologyEdition
from appraisal.services.editions import can_edit_editions, set_publication_date


class PublicationForm(forms.Form):
    published_on = forms.DateField(
        label=gettext_lazy("Дата первого официального опубликования"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


@login_required
def edition_page(request):
    """D2, D3: the edition in force, its dates and which of its rules expire when; the chief
    specialist enters the publication date (D3) here."""
    organisation_id = roles.home_organisation_id(request.user)
    may_edit = organisation_id is not None and can_edit_editions(request.user, organisation_id)
    if request.method == "POST":
        if not may_edit:
            raise Http404
        pk = request.POST.get("edition", "")
        # Only her body's own editions: another body's, or a template, is a 404.
        edition = get_object_or_404(MethodologyEdition, organisation_id=organisation_id,
                                    pk=int(pk) if pk.isdigit() else 0)
        form = PublicationForm(request.POST)
        if form.is_valid():
            try:
                set_publication_date(edition=edition, published_on=form.cleaned_data["published_on"], by=request.user)
            except ValidationError as exc:
                messages.error(request, refusal_text(exc))
            else:
                messages.success(request, _("Дата опубликования сохранена; дата введения в действие пересчитана (п. 3 решения)."))
        else:
            messages.error(request, " ".join(form.errors.get("published_on", [])))
        return redirect("edition")
    editions = sorted(load_editions(organisation_id), key=lambda e: e.decision_date, reverse=True)
    return render(request, "appraisal/edition.html", {
        "editions": [(e, PublicationForm(initial={"published_on": e.published_on})
                      if may_edit and e.organisation_id == organisation_id else None)
                     for e in editions],
        "today": timezone.localdate(),
    })
