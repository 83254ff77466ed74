"""Running a django-fsm transition for a user, one way for every workflow of the application.

Each workflow words its refusals itself (they name its rule), so they are passed in; the
order of the checks, the transaction and the answer to a concurrent change are the same
everywhere: the state allows it, the user's role allows it, and a stale copy
(ConcurrentTransitionMixin) is refused without changing anything.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm


@dataclass(frozen=True)
class Refusals:
    not_now: str  # the state does not allow it; may use %(state)s
    wrong_role: str  # the user's role does not allow it
    stale: str  # someone changed the document in the meantime


def run_transition(instance, name: str, *, by, refusals: Refusals, **kwargs):
    method = getattr(instance, name)
    if not can_proceed(method):
        raise ValidationError(refusals.not_now % {"state": instance.get_state_display()})
    if not has_transition_perm(method, by):
        raise PermissionDenied(refusals.wrong_role)
    try:
        with transaction.atomic():
            method(by=by, **kwargs)
            instance.save()
    except ConcurrentTransition:
        raise ValidationError(refusals.stale) from None
    return instance
