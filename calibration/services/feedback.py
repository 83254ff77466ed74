"""R42: the evaluator's feedback meeting with the employee after the session."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.dates import fmt_date
from calibration.models import CalibrationCase, CaseState, FeedbackMeeting
from calibration.services.common import clean_date, clean_text, lock, not_in_future


def is_evaluator(case: CalibrationCase, user) -> bool:
    evaluator = case.result.entry.evaluator
    return bool(evaluator and evaluator.user_id and evaluator.user_id == getattr(user, "pk", None))


@transaction.atomic
def record_feedback(*, case: CalibrationCase, by, held_on, achievements: str, skills: str, potential: str,
                    at: dt.datetime | None = None) -> FeedbackMeeting:
    """R42: the meeting's date and its three subjects; the evaluator may correct the record
    (history keeps every version)."""
    case = lock(case)
    if not is_evaluator(case, by):
        raise PermissionDenied(_("п. 42: встречу обратной связи проводит и записывает оценивающее лицо."))
    if case.state not in (CaseState.PROTOCOL_SIGNED, CaseState.POSTED):
        raise ValidationError(_("п. 42: встреча обратной связи проводится по результатам калибровочной сессии "
                                "(сейчас: «%(state)s»).") % {"state": case.get_state_display()}, code="not_yet")
    label = _("Дата встречи")
    held_on = not_in_future(clean_date(held_on, rule="42", label=label), rule="42", label=label)
    not_before = max(timezone.localdate(case.result.completed_at), case.session_date or dt.date.min)
    if held_on < not_before:
        raise ValidationError(_("п. 42: встреча обратной связи не может быть раньше оценки и сессии (%(day)s).")
                              % {"day": fmt_date(not_before)}, code="too_early")
    values = {
        "held_on": held_on,
        "achievements": clean_text(achievements, rule="42", label=_("Обзор достижений за оцениваемый период")),
        "skills": clean_text(skills, rule="42", label=_("Обзор развития навыков и компетенций")),
        "potential": clean_text(potential, rule="42", label=_("Обзор потенциала и карьерные устремления")),
        "recorded_at": at or timezone.now(), "recorded_by": by,
    }
    meeting, _created = FeedbackMeeting.objects.update_or_create(case=case, defaults=values)
    return meeting
