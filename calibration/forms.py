"""The forms of chapter 5: they only carry the input; the services check it (with the rule)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisal.models import Employee
from calibration.models import PLACE_MAX, TEXT_MAX, AppealOutcome, VoteChoice
from calibration.services.composition import eligible_members

# HTML date inputs take ISO dates whatever the interface language.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ApplicationForm(forms.Form):
    text = forms.CharField(label=_("Заявление (в произвольной форме)"), widget=forms.Textarea(attrs={"rows": 5}),
                           max_length=TEXT_MAX)


class CompositionForm(forms.Form):
    """R38, R39: the page and the admin's transition button use this form and one service."""

    session_date = forms.DateField(label=_("Дата сессии"), widget=DATE)
    session_time = forms.TimeField(label=_("Время"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Место проведения"), max_length=PLACE_MAX)
    members = forms.ModelMultipleChoiceField(
        label=_("Другие участники (кроме оценивающего лица и главного специалиста)"), required=False,
        queryset=Employee.objects.filter(user__isnull=False).order_by("last_name", "first_name"),
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, organisation_id: int | None = None, exclude_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        if organisation_id is not None:
            # only those serving today (composition.eligible_members): not a dismissed colleague
            self.fields["members"].queryset = (eligible_members(organisation_id, timezone.localdate())
                                               .exclude(pk__in=exclude_ids).order_by("last_name", "first_name"))


class ArgumentForm(forms.Form):
    text = forms.CharField(label=_("Аргументы оценивающего лица"), widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=TEXT_MAX)


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Голос"), choices=VoteChoice.choices, widget=forms.RadioSelect)
    score = forms.CharField(label=_("Новая оценка (0–5), при корректировке"), required=False, max_length=20)
    position = forms.CharField(label=_("Позиция (аргументы)"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX)


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("Дата подписания протокола"), widget=DATE)


class FeedbackForm(forms.Form):
    held_on = forms.DateField(label=_("Дата встречи"), widget=DATE)
    achievements = forms.CharField(label=_("Обзор достижений за оцениваемый период"), max_length=TEXT_MAX,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    skills = forms.CharField(label=_("Обзор развития навыков и компетенций"), max_length=TEXT_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}))
    potential = forms.CharField(label=_("Обзор потенциала и карьерные устремления"), max_length=TEXT_MAX,
                                widget=forms.Textarea(attrs={"rows": 3}))


class AppealForm(forms.Form):
    filed_on = forms.DateField(label=_("Жалоба подана"), widget=DATE)
    body = forms.CharField(label=_("Орган (суд)"), max_length=PLACE_MAX)


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Итог"), choices=[c for c in AppealOutcome.choices
                                                          if c[0] != AppealOutcome.PENDING])
    decided_on = forms.DateField(label=_("Дата решения"), widget=DATE)
    reference = forms.CharField(label=_("Реквизиты решения"), max_length=PLACE_MAX)
