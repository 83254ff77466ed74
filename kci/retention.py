"""R14: the KCI documents of an evaluation, for the core's disposal after three years
(appraisal.hooks.on_retention). Dependants first: the core deletes in this order."""

from django.utils.translation import gettext_lazy as _

from kci.models import IndividualPlan, Kci, KciScoreLine, KciScoreSheet, PlanVersion


def documents(entries) -> list[tuple[str, object]]:
    return [
        # The lines carry the evidence files; the core removes them from the disk too.
        (_("Строки листа оценки КЦИ (с подтверждающими документами)"),
         KciScoreLine.objects.filter(sheet__plan__entry__in=entries)),
        (_("Листы оценки КЦИ"), KciScoreSheet.objects.filter(plan__entry__in=entries)),
        (_("Редакции индивидуального плана"), PlanVersion.objects.filter(plan__entry__in=entries)),
        (_("КЦИ индивидуального плана"), Kci.objects.filter(plan__entry__in=entries)),
        (_("Индивидуальные планы работы"), IndividualPlan.objects.filter(entry__in=entries)),
    ]
