"""R14: the chapter-6 documents of an evaluation, for the core's disposal after three years
(appraisal.hooks.on_retention). Dependants first: the core deletes in this order.

The person's documents: their plan with its KCIs, the score sheet with its lines, evidence
files (private storage; the core removes them from the disk after the commit) and review
rounds, and, from the Commission, the agenda items of their sheet (the protocol's row on
them), the members' votes on those items and their appeals. The Commission, its
composition and amendments, the meeting and its attendance are the organisation's
documents and stay (docs/conformance.md, choices recorded, R14): they name no one's result,
and the meeting also decided on colleagues whose documents are still kept.
"""

from django.utils.translation import gettext_lazy as _

from legacy_commission.models import (
    AgendaItem,
    Appeal,
    LegacyEvidence,
    LegacyKci,
    LegacyPlan,
    LegacySheet,
    LegacySheetLine,
    ReviewRound,
    Vote,
)


def documents(entries) -> list[tuple[str, object]]:
    sheets = LegacySheet.objects.filter(plan__entry__in=entries)
    return [
        (_("Голоса членов Комиссии по листу оценки (глава 6)"), Vote.objects.filter(item__sheet__in=sheets)),
        (_("Обжалования решений Комиссии"), Appeal.objects.filter(item__sheet__in=sheets)),
        (_("Вопросы повестки заседаний Комиссии (строки протокола)"), AgendaItem.objects.filter(sheet__in=sheets)),
        (_("Подтверждающие файлы (глава 6)"), LegacyEvidence.objects.filter(line__sheet__in=sheets)),
        (_("Строки листа оценки (глава 6)"), LegacySheetLine.objects.filter(sheet__in=sheets)),
        (_("Рассмотрения листа оценки (глава 6)"), ReviewRound.objects.filter(sheet__in=sheets)),
        (_("Листы оценки по КЦИ (глава 6)"), sheets),
        (_("КЦИ индивидуального плана (глава 6)"), LegacyKci.objects.filter(plan__entry__in=entries)),
        (_("Индивидуальные планы работы (глава 6)"), LegacyPlan.objects.filter(entry__in=entries)),
    ]
