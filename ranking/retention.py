"""R14: the ranking documents of an evaluation, for the core's disposal after three years
(appraisal.hooks.on_retention)."""

from django.utils.translation import gettext_lazy as _

from ranking.models import RankingSheet


def documents(entries) -> list[tuple[str, object]]:
    return [(_("Листы оценки методом ранжирования"), RankingSheet.objects.filter(entry__in=entries))]
