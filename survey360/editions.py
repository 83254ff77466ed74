"""Forms 5 and 6 as edition data: each edition (so each body) has its own questionnaires."""

from django.db import transaction

from appraisal.services.editions import clone_rows
from survey360.models import Competency, Questionnaire, Statement


def questionnaires_for(edition) -> dict[str, Questionnaire]:
    """{audience: questionnaire} of `edition`; an edition entered without them gets the
    marked defaults (as kci.services.score_table does for appendix 3)."""
    found = {q.audience: q for q in Questionnaire.objects.filter(edition=edition)}
    if not found:
        from survey360.data.questionnaires import seed

        with transaction.atomic():
            seed(Questionnaire, Competency, Statement, edition=edition)
        found = {q.audience: q for q in Questionnaire.objects.filter(edition=edition)}
    return found


def copy_questionnaires(source, copy) -> None:
    """appraisal.hooks.on_edition_copied: the questionnaires of `source` with their
    competencies and statements (texts in both languages, whether still the defaults)."""
    for questionnaire in Questionnaire.objects.filter(edition=source).order_by("appendix", "pk"):
        competencies = list(questionnaire.competencies.order_by("order"))
        (questionnaire_copy,) = clone_rows([questionnaire], edition_id=copy.pk)
        competency_copies = clone_rows(competencies, questionnaire_id=questionnaire_copy.pk)
        for competency, competency_copy in zip(competencies, competency_copies, strict=True):
            clone_rows(competency.statements.order_by("order"), competency_id=competency_copy.pk)
