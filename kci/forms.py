"""Forms of chapter 2: they only shape input; the rules are checked in kci/services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kci.models import AmendmentBasis, Kci


class KciForm(forms.ModelForm):
    class Meta:
        model = Kci
        fields = ["title", "indicator_kind", "unit", "target", "deadline", "resources", "document_kind",
                  "document_name"]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "resources": forms.Textarea(attrs={"rows": 2}),
            "title": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "title": _("Конкретность: какой результат будет достигнут."),
            "target": _("Измеримость: число; при нулевом значении процент не вычисляется (п. 27)."),
            "deadline": _("Ограниченность во времени: в пределах оцениваемого периода."),
            "resources": _("Достижимость: за счёт каких ресурсов и полномочий."),
            "document_name": _("Направленность: документ государственного планирования, цель или меморандум."),
        }


class AmendmentForm(forms.Form):
    basis = forms.ChoiceField(label=_("Основание (п. 25)"), choices=[("", "—"), *AmendmentBasis.choices])
    reason = forms.CharField(label=_("Какие изменения функций или структуры и как они влияют на КЦИ"),
                             widget=forms.Textarea(attrs={"rows": 2}))


class ActualForm(forms.Form):
    actual = forms.CharField(label=_("Фактическое значение"), max_length=30)
    note = forms.CharField(label=_("Пояснение / подтверждение"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("Файл"), required=False)
