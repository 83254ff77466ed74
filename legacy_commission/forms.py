"""Forms of chapter 6: they only shape input; the rules are checked in legacy_commission/services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from legacy_commission.models import LegacyKci, ReturnReason


class LegacyKciForm(forms.ModelForm):
    class Meta:
        model = LegacyKci
        fields = ["title", "criterion", "resources", "deadline", "aim_kind", "aim_name"]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "title": forms.Textarea(attrs={"rows": 2}),
            "criterion": forms.Textarea(attrs={"rows": 2}),
            "resources": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "title": _("Конкретность: результат с ожидаемым положительным изменением."),
            "criterion": _("Измеримость: по какому критерию видно, что КЦИ достигнут полностью."),
            "resources": _("Достижимость: ресурсы, полномочия и ограничения."),
            "deadline": _("Ограниченность во времени: в пределах оцениваемого периода."),
            "aim_name": _("Направленность: стратегическая цель государственного органа или соглашение служащего "
                          "корпуса «А»."),
        }


class ReturnForm(forms.Form):
    reason_kind = forms.ChoiceField(label=_("Основание (п. 51)"), choices=[("", "—"), *ReturnReason.choices])
    reason = forms.CharField(label=_("Какие факты недостаточны или недостоверны"),
                             widget=forms.Textarea(attrs={"rows": 2}))
