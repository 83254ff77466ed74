"""Log-in lockouts (django-axes): the chief specialist unlocks the accounts of her
organisation's people; an administrator can also delete the access attempt in the admin."""

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from appraisal import roles
from appraisal.models import Employee, Role


def _administered_people(user):
    return Employee.objects.filter(
        organisation_id__in=roles.organisations_with_role(user, Role.CHIEF_SPECIALIST), user__isnull=False)


def locked_accounts(user) -> list[tuple[Employee, AccessAttempt]]:
    """The chief specialist's people whose log-in is locked now, with the attempt that locked it."""
    people = {e.user.username: e for e in _administered_people(user).select_related("user")}
    attempts = AccessAttempt.objects.filter(
        username__in=people, failures_since_start__gte=settings.AXES_FAILURE_LIMIT).order_by("-attempt_time")
    return [(people[a.username], a) for a in attempts]


@transaction.atomic
def unlock_account(*, username: str, by) -> int:
    if not roles.organisations_with_role(by, Role.CHIEF_SPECIALIST):
        raise PermissionDenied(_("Вход разблокирует главный специалист."))
    if not _administered_people(by).filter(user__username=username).exists():
        raise PermissionDenied(_("Это не служащий вашего государственного органа."))
    return reset(username=username)
