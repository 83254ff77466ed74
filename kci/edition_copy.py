"""Many bodies: a body's edition copied from a template takes the template's appendix 3."""

from appraisal.services.editions import clone_rows
from kci.models import AdmissibleScoreTable


def copy_score_table(source, copy) -> None:
    """appraisal.hooks.on_edition_copied: the admissible-score table of `source` with its rows
    (and whether it is still the marked default); without one, the copy gets the default
    when first read (kci.services.score_table)."""
    table = AdmissibleScoreTable.objects.filter(edition=source).first()
    if table is None:
        return
    rows = list(table.rows.order_by("percent_from"))
    (table_copy,) = clone_rows([table], edition_id=copy.pk)
    clone_rows(rows, table_id=table_copy.pk)
