"""Reads of the Commission's side of chapter 6, for a user (R20).

- The Commission's members and its secretary see the sheets on the agenda of their
  Commission's meetings, and nothing else (registered as an R20 visibility hook, so the
  core result page and the sheet pages agree); everyone else gets a 404.
- A meeting (its agenda, votes and protocol) is seen by the Commission's members and
  secretary, the chief specialist, and — once the decisions are taken — the authorised
  person who approves them (R64).
- An appeal is seen by whoever sees its person's schedule line (R20).
"""

from django.db.models import Q, QuerySet

from appraisal import roles
from appraisal.models import Role, ScheduleEntry
from appraisal.selectors import schedule_entries_visible_to
from legacy_commission.models import AgendaItem, Appeal, Commission, CommissionMeeting, MeetingState


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _member_meetings(user) -> Q:
    """The user's meetings: those still to be held of a Commission the user is in now, and
    those the user attended. A member who joins later (R56) or was absent does not see the
    sheets another composition decided (R20: the sheets of their meeting only)."""
    return Q(commission__members__employee__user=user, commission__members__active=True,
             state__in=(MeetingState.SCHEDULED, MeetingState.OPEN)) | Q(
        attendance__member__employee__user=user, attendance__present=True)


def commission_member_entries(user) -> Q:
    """R20 hook: the schedule lines of the sheets on the agenda of the user's meetings."""
    if not _authenticated(user):
        return Q(pk__in=ScheduleEntry.objects.none())
    meetings = CommissionMeeting.objects.filter(_member_meetings(user)).values("pk")
    return Q(pk__in=AgendaItem.objects.filter(meeting__in=meetings).values("sheet__plan__entry_id"))


def commissions_for_user(user) -> QuerySet[Commission]:
    if not _authenticated(user):
        return Commission.objects.none()
    org_ids = roles.organisations_with_role(user, Role.CHIEF_SPECIALIST, Role.APPOINTING_OFFICIAL)
    member_of = Commission.objects.filter(members__employee__user=user).values("pk")
    return (Commission.objects.filter(Q(organisation_id__in=org_ids) | Q(pk__in=member_of))
            .select_related("organisation", "created_by__employee").order_by("-created_at"))


def meetings_for_user(user) -> QuerySet[CommissionMeeting]:
    if not _authenticated(user):
        return CommissionMeeting.objects.none()
    chief_orgs = roles.organisations_with_role(user, Role.CHIEF_SPECIALIST)
    # R64: the authorised person sees a meeting once there are decisions to approve, not before.
    official_orgs = roles.organisations_with_role(user, Role.APPOINTING_OFFICIAL)
    mine = CommissionMeeting.objects.filter(_member_meetings(user)).values("pk")
    return (CommissionMeeting.objects.filter(
        Q(commission__organisation_id__in=chief_orgs) | Q(pk__in=mine)
        | Q(commission__organisation_id__in=official_orgs, state__in=(MeetingState.DECIDED, MeetingState.APPROVED)))
            .select_related("commission__organisation", "agreed_with", "scheduled_by__employee",
                            "approved_by__employee"))


def appeals_for_user(user) -> QuerySet[Appeal]:
    if not _authenticated(user):
        return Appeal.objects.none()
    return Appeal.objects.filter(
        item__sheet__plan__entry__in=schedule_entries_visible_to(user).values("pk")
    ).select_related("item__meeting__commission", "item__sheet__plan__entry__employee",
                     "item__sheet__plan__entry__schedule__organisation", "recorded_by__employee")


def appealable_items_for_user(user) -> QuerySet[AgendaItem]:
    """R67: the agenda items a user may bring an appeal against through a page: those of the
    meetings the user sees, and the person's own (who does not see the meeting itself, with
    the other people's results and votes)."""
    if not _authenticated(user):
        return AgendaItem.objects.none()
    return AgendaItem.objects.filter(
        Q(meeting__in=meetings_for_user(user).values("pk")) | Q(sheet__plan__entry__employee__user=user)
    ).select_related("meeting", "sheet__plan__entry__employee")


def own_decision(entry_id: int, user) -> AgendaItem | None:
    """The latest approved Commission decision on the user's own chapter-6 line (R64, R67)."""
    if not _authenticated(user):
        return None
    return (AgendaItem.objects.filter(sheet__plan__entry_id=entry_id, sheet__plan__entry__employee__user=user,
                                      meeting__state=MeetingState.APPROVED)
            .select_related("meeting").prefetch_related("appeals").order_by("-meeting__date", "-pk").first())


def agenda(meeting: CommissionMeeting) -> list[AgendaItem]:
    """The agenda with what the page and the protocol show: the person, the filled sheet's
    lines (R61), every vote (R57), the appeals (R67)."""
    return list(meeting.items.select_related(
        "sheet__plan__entry__employee", "sheet__plan__entry__position", "sheet__plan__entry__evaluator",
        "sheet__plan__entry__schedule__period", "sheet__plan__higher_supervisor", "result",
    ).prefetch_related("votes__member__employee", "sheet__lines__kci", "appeals").order_by("pk"))
