"""Reads of chapter 5 for a user (R20).

- `participant_entries`: registered on appraisal.hooks.on_entry_visibility — a participant
  sees the person's line (so the result and the chapter's sheets) while the case is between
  the approval of the composition and the posting of the protocol.
- `cases_visible_to`: the case pages. The person, their evaluator, the chief specialist and
  the participants in that window see the case (through the core selector); the appointing
  official sees the cases of the organisation to decide on them, without the evaluative
  parts unless the core selector also lets them see the result (`shows_result`).
"""

from django.db.models import Q, QuerySet

from appraisal import roles
from appraisal.models import Role
from appraisal.selectors import first_rows, schedule_entries_visible_to
from calibration.models import PARTICIPANTS_SEE, CalibrationCase, CaseState, Participant


def participant_entries(user) -> Q:
    return Q(pk__in=Participant.objects.filter(employee__user=user, case__state__in=PARTICIPANTS_SEE)
             .values("case__result__entry_id"))


def cases_visible_to(user) -> QuerySet[CalibrationCase]:
    if not getattr(user, "is_authenticated", False):
        return CalibrationCase.objects.none()
    officials = roles.organisations_with_role(user, Role.APPOINTING_OFFICIAL)
    return CalibrationCase.objects.filter(
        Q(result__entry__in=schedule_entries_visible_to(user).values("pk"))
        | Q(result__entry__schedule__organisation_id__in=officials)
    ).select_related("result__entry__schedule__period", "result__entry__schedule__organisation",
                     "result__entry__employee", "result__entry__evaluator", "result__entry__position")


def shows_result(case: CalibrationCase, user) -> bool:
    """Whether this user may see the result, the argument, the positions and the votes."""
    return schedule_entries_visible_to(user).filter(pk=case.result.entry_id).exists()


def participant_of(case: CalibrationCase, user) -> Participant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return case.participants.filter(employee__user=user).select_related("employee").first()


def cases_for_home(user) -> QuerySet[CalibrationCase]:
    """What the home panel lists: the user's own applications, the cases they decide on,
    organise or sit in (only while they may see them)."""
    # A posted protocol ends the case: nothing left to do, so it leaves the home (issue 11);
    # the result page and «Все заявления» keep it.
    return first_rows(cases_visible_to(user).exclude(state=CaseState.POSTED).order_by("-filed_at"), 20)


def protocol_visible(case: CalibrationCase, user) -> bool:
    """The protocol (votes, positions): to those who see the result, once drawn up; to the
    person once it is posted."""
    if not shows_result(case, user):
        return False
    if case.result.entry.employee.user_id == getattr(user, "pk", None):
        return case.state == CaseState.POSTED
    return case.state in (CaseState.HELD, CaseState.PROTOCOL_SIGNED, CaseState.POSTED)
