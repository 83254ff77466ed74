"""D3: the chief specialist enters the date of first official publication of an edition."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from appraisal import roles
from appraisal.models import MethodologyEdition, Role
from appraisal.validation import clean_date


def can_edit_editions(user) -> bool:
    return bool(roles.organisations_with_role(user, Role.CHIEF_SPECIALIST))


@transaction.atomic
def set_publication_date(*, edition: MethodologyEdition, published_on: dt.date | None, by) -> MethodologyEdition:
    """D3: the edition takes effect `days_to_effect` calendar days after its first official
    publication. The date cannot precede the decision it publishes."""
    if not can_edit_editions(by):
        raise PermissionDenied(_("D3: дату опубликования вносит главный специалист."))
    if published_on is not None:
        # The date of effect is computed from it on every page: a year like 9999 would overflow.
        published_on = clean_date(published_on, rule="D3", label=_("дата первого официального опубликования"))
    if published_on is not None and published_on < edition.decision_date:
        raise ValidationError(
            _("D3: дата первого официального опубликования (%(p)s) не может быть раньше даты решения (%(d)s).")
            % {"p": published_on.strftime("%d.%m.%Y"), "d": edition.decision_date.strftime("%d.%m.%Y")}
        )
    edition = MethodologyEdition.objects.select_for_update().get(pk=edition.pk)
    edition.published_on = published_on
    edition._history_user = by
    edition.save(update_fields=["published_on"])
    return edition
