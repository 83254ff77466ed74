from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Survey360Config(AppConfig):
    name = "survey360"
    verbose_name = _("Метод 360")

    def ready(self):
        from appraisal import hooks
        from survey360 import retention, services

        hooks.on_tick(services.send_reminders)
        hooks.on_retention(retention.documents)  # R14: its documents, for disposal after three years
        # Many bodies: a body's edition copied from a template takes its forms 5 and 6.
        hooks.on_edition_copied(__import__("survey360.editions", fromlist=["_"]).copy_questionnaires)
        hooks.on_participation_changed(__import__("survey360.participation", fromlist=["_"]).follow_participation)  # R5.2
