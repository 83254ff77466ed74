"""R16: the chief specialist's register of disputes about the evaluation procedure.

Only the chief specialist of the organisation writes to it; every input is checked as the
model stores it (lengths, dates) and a refusal names п. 16, with nothing saved.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal import roles
from appraisal.dates import fmt_date
from appraisal.models import Dispute, DisputeState, Employee, Organisation, Role
from appraisal.models.disputes import RAISED_BY_TEXT_MAX, RESOLUTION_MAX, SUBJECT_MAX
from appraisal.validation import EARLIEST_DATE


def _require_chief(organisation_id: int, by) -> None:
    if not roles.has_role(by, organisation_id, Role.CHIEF_SPECIALIST):
        raise PermissionDenied(_("п. 16: споры по процедуре оценки рассматривает главный специалист."))


def _text(value, *, limit: int, what: str, required: bool) -> str:
    text = "" if value is None else str(value).strip()
    if "\x00" in text:  # PostgreSQL cannot store it in a text column (a server error)
        raise ValidationError(_("п. 16: %(what)s: недопустимый символ (NUL).") % {"what": what})
    if required and not text:
        raise ValidationError(_("п. 16: укажите %(what)s.") % {"what": what})
    if len(text) > limit:
        raise ValidationError(
            _("п. 16: %(what)s: не более %(n)s знаков (сейчас %(m)s).") % {"what": what, "n": limit, "m": len(text)}
        )
    return text


def _past_date(value, *, what: str) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError(_("п. 16: не указана %(what)s.") % {"what": what})
    today = timezone.localdate()
    if value < EARLIEST_DATE:
        raise ValidationError(
            _("п. 16: %(what)s — не раньше %(d)s.") % {"what": what, "d": fmt_date(EARLIEST_DATE)}
        )
    if value > today:
        raise ValidationError(
            _("п. 16: %(what)s %(d)s ещё не наступила.") % {"what": what, "d": fmt_date(value)}
        )
    return value


@transaction.atomic
def register_dispute(*, organisation: Organisation, raised_by: Employee | None = None, raised_by_text: str = "",
                     raised_on: dt.date, subject: str, by) -> Dispute:
    """Enter a dispute as raised: by an employee of the organisation or by someone named in words."""
    _require_chief(organisation.pk, by)
    raised_by_text = _text(raised_by_text, limit=RAISED_BY_TEXT_MAX, what=_("заявитель (иное лицо)"), required=False)
    if raised_by is not None and raised_by_text:
        raise ValidationError(_("п. 16: укажите заявителя одним способом: служащего из списка или иное лицо."))
    if raised_by is None and not raised_by_text:
        raise ValidationError(_("п. 16: укажите заявителя: служащего из списка или иное лицо."))
    if raised_by is not None and raised_by.organisation_id != organisation.pk:
        raise ValidationError(_("п. 16: заявитель из списка должен быть служащим этого государственного органа."))
    raised_on = _past_date(raised_on, what=_("дата обращения"))
    subject = _text(subject, limit=SUBJECT_MAX, what=_("предмет спора"), required=True)
    dispute = Dispute(organisation=organisation, raised_by=raised_by, raised_by_text=raised_by_text,
                      raised_on=raised_on, subject=subject, recorded_by=by)
    dispute._history_user = by
    dispute.save()
    return dispute


@transaction.atomic
def resolve_dispute(*, dispute: Dispute, resolution: str, resolved_on: dt.date, by) -> Dispute:
    """Record the chief specialist's decision on an open dispute."""
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    _require_chief(dispute.organisation_id, by)
    if dispute.state != DisputeState.OPEN:
        raise ValidationError(
            _("п. 16: спор уже рассмотрен %(d)s.") % {"d": fmt_date(dispute.resolved_on) if dispute.resolved_on else "—"}
        )
    resolution = _text(resolution, limit=RESOLUTION_MAX, what=_("решение по спору"), required=True)
    resolved_on = _past_date(resolved_on, what=_("дата решения"))
    if resolved_on < dispute.raised_on:
        raise ValidationError(
            _("п. 16: дата решения %(r)s раньше даты обращения %(d)s.")
            % {"r": fmt_date(resolved_on), "d": fmt_date(dispute.raised_on)}
        )
    dispute.resolution = resolution
    dispute.resolved_on = resolved_on
    dispute.resolved_by = by
    dispute.state = DisputeState.RESOLVED
    dispute._history_user = by
    dispute.save()
    return dispute
