"""WD: the working-day overrides entered for decrees `holidays.KZ` does not know.

The calendar is national (transfers are decreed for the whole country) and shared by every
body of the installation, so only the installation-level role keeps it (roles.is_installation_admin);
a body's chief specialist sees it read-only."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from appraisal import roles
from appraisal.models import WorkingDayOverride
from appraisal.validation import clean_date, clean_text_for


def _check_may_edit(user) -> None:
    if not roles.is_installation_admin(user):
        raise PermissionDenied(_("рабочие дни: исключения производственного календаря вносит администратор установки: "
                                 "переносы выходных объявляются для всей страны."))


@transaction.atomic
def add_override(*, day: dt.date, is_working: bool, reason: str, by) -> WorkingDayOverride:
    _check_may_edit(by)
    day = clean_date(day, rule="WD", label=_("дата исключения"))
    reason = clean_text_for(WorkingDayOverride._meta.get_field("reason"), reason, rule="WD",
                            label=_("основание исключения"), required=True,
                            required_message=_("рабочие дни: укажите основание исключения (постановление, приказ)."))
    if not isinstance(is_working, bool):
        raise ValidationError(_("рабочие дни: укажите, рабочий это день или выходной."))
    existing = WorkingDayOverride.objects.select_for_update().filter(date=day).first()
    if existing:
        raise ValidationError(
            _("рабочие дни: на %(d)s исключение уже внесено («%(r)s»); удалите его, чтобы внести другое.")
            % {"d": day.strftime("%d.%m.%Y"), "r": existing.reason}
        )
    override = WorkingDayOverride(date=day, is_working=is_working, reason=reason)
    override._history_user = by
    override.save()
    return override


@transaction.atomic
def delete_override(*, pk: int, by) -> None:
    _check_may_edit(by)
    override = WorkingDayOverride.objects.select_for_update().filter(pk=pk).first()
    if override is None:
        raise ValidationError(_("рабочие дни: исключение не найдено (уже удалено?)."))
    override._history_user = by
    override.delete()
