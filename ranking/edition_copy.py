"""Many bodies: a body's edition copied from a template takes the template's form 4 data."""

from appraisal.services.editions import clone_rows
from ranking.models import RankingParameter


def copy_parameters(source, copy) -> None:
    """appraisal.hooks.on_edition_copied: the ranking parameters (titles, weights) of `source`."""
    clone_rows(RankingParameter.objects.filter(edition=source).order_by("order", "pk"), edition_id=copy.pk)
