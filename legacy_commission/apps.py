from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegacyCommissionConfig(AppConfig):
    name = "legacy_commission"
    verbose_name = _("Глава 6 (Комиссия)")

    def ready(self):
        from appraisal import hooks
        from legacy_commission import selectors

        # R20 with R44, R50: the higher supervisor of a chapter-6 plan is one of its evaluators.
        hooks.on_entry_visibility(selectors.higher_supervisor_entries)
        hooks.on_retention(__import__("legacy_commission.retention", fromlist=["_"]).documents)  # R14: after 3 years

        # R20: the Commission's members and secretary see the sheets of their meetings (helper legb).
        from legacy_commission import selectors_commission

        hooks.on_entry_visibility(selectors_commission.commission_member_entries)
