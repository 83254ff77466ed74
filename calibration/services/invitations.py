"""R39: the .ics invitation attached to the participant's e-mail, computed when the message
is sent (appraisal.hooks.on_email_attachments), from the session as it stands."""

import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from calibration.models import Participant

_KEY = re.compile(r"^R39:case:(\d+):invite:(\d+):email$")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ics_for(participant: Participant) -> str:
    """An iCalendar (RFC 5545) event: the date and place, no score and no name of the
    evaluated person's result (the summary names only the session)."""
    case = participant.case
    if case.session_time:
        start = timezone.make_aware(dt.datetime.combine(case.session_date, case.session_time))
        start_utc = start.astimezone(dt.UTC)
        timing = [f"DTSTART:{start_utc:%Y%m%dT%H%M%SZ}",
                  f"DTEND:{(start_utc + dt.timedelta(hours=1)):%Y%m%dT%H%M%SZ}"]
    else:
        timing = [f"DTSTART;VALUE=DATE:{case.session_date:%Y%m%d}",
                  f"DTEND;VALUE=DATE:{(case.session_date + dt.timedelta(days=1)):%Y%m%d}"]
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Bagalau//calibration//RU", "METHOD:REQUEST",
        "BEGIN:VEVENT", f"UID:calibration-{case.pk}-{participant.pk}@bagalau",
        f"DTSTAMP:{timezone.now().astimezone(dt.UTC):%Y%m%dT%H%M%SZ}", *timing,
        f"SUMMARY:{_escape(_('Калибровочная сессия (п. 38–41 Методики)'))}",
        f"LOCATION:{_escape(case.session_place)}",
        "END:VEVENT", "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"


def invitation_attachments(message) -> list[tuple[str, str, str]]:
    match = _KEY.match(message.key or "")
    if not match:
        return []
    participant = Participant.objects.select_related("case").filter(
        pk=int(match.group(2)), case_id=int(match.group(1))).first()
    if participant is None or participant.case.session_date is None:
        return []
    return [("calibration.ics", ics_for(participant), "text/calendar")]
