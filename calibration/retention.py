"""R14: the calibration documents of an evaluation, for the core's disposal after three
years (appraisal.hooks.on_retention).

Everything of the person's case goes, dependants first: the participants' votes, the
composition with their positions, the feedback meeting, the re-evaluation ordered on
appeal, the appeal, and the case itself (the application, the session and the protocol
with its scores are fields of the case). A calibration session is held for one person's
result only, so its composition is that person's document, not the organisation's. The
.ics invitation is never stored: it is computed from the case when the e-mail is sent.
"""

from django.utils.translation import gettext_lazy as _

from calibration.models import Appeal, CalibrationCase, FeedbackMeeting, Participant, Reevaluation, Vote


def documents(entries) -> list[tuple[str, object]]:
    cases = CalibrationCase.objects.filter(result__entry__in=entries)
    return [
        (_("Голоса участников калибровочной сессии"), Vote.objects.filter(participant__case__in=cases)),
        (_("Участники калибровочной сессии (позиции)"), Participant.objects.filter(case__in=cases)),
        (_("Встречи обратной связи после калибровки"), FeedbackMeeting.objects.filter(case__in=cases)),
        (_("Повторные оценки по жалобе"), Reevaluation.objects.filter(appeal__case__in=cases)),
        (_("Обжалования решений калибровочных сессий"), Appeal.objects.filter(case__in=cases)),
        (_("Калибровочные сессии (заявление, протокол)"), cases),
    ]
