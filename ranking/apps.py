from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RankingConfig(AppConfig):
    name = "ranking"
    verbose_name = _("Метод ранжирования")

    def ready(self):
        from appraisal import hooks
        from ranking import jobs, retention, services  # noqa: F401 - jobs registers its kinds (appraisal.jobs)

        # R28: approving a quarter schedule opens every staff member's sheet at once.
        hooks.on_schedule_approved(services.open_quarter_sheets)
        # R30: the notices of the evaluation, queued by the periodic tick.
        hooks.on_tick(services.queue_r30_notices)
        hooks.on_retention(retention.documents)  # R14: its documents, for disposal after three years
        hooks.on_reevaluation(__import__("ranking.reevaluation", fromlist=["_"]).reopen_for_reevaluation)  # R13
        # Many bodies: a body's edition copied from a template takes its form 4 data.
        hooks.on_edition_copied(__import__("ranking.edition_copy", fromlist=["_"]).copy_parameters)
