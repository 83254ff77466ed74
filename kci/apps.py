from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KciConfig(AppConfig):
    name = "kci"
    verbose_name = _("КЦИ руководителя аппарата")

    def ready(self):
        from appraisal import hooks
        from kci import retention, services

        # R26: the head's notice of the coming evaluation, queued by the periodic tick.
        hooks.on_tick(services.notify_heads)
        hooks.on_retention(retention.documents)  # R14: its documents, for disposal after three years
        hooks.on_reevaluation(__import__("kci.reevaluation", fromlist=["_"]).reopen_for_reevaluation)  # R13
        # Many bodies: a body's edition copied from a template takes its appendix 3.
        hooks.on_edition_copied(__import__("kci.edition_copy", fromlist=["_"]).copy_score_table)
