from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalibrationConfig(AppConfig):
    name = "calibration"
    verbose_name = _("Калибровочные сессии")

    def ready(self):
        from appraisal import hooks
        from calibration import selectors
        from calibration.services import invitations

        # R20: the participants of a session see the person's result for that period from
        # the approval of the composition until the protocol is posted.
        hooks.on_entry_visibility(selectors.participant_entries)
        # R39: the participant's e-mail carries the session as an .ics invitation.
        hooks.on_email_attachments(invitations.invitation_attachments)
        hooks.on_retention(__import__("calibration.retention", fromlist=["_"]).documents)  # R14: disposal after 3 years
