"""Pages of the Commission (chapter 6, R54–R64). Thin: fetch for this user through
legacy_commission.selectors_commission (404 on GET and POST alike for anyone else, R20),
call one service, render."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appraisal import roles
from appraisal.access import get_for_user, organisation_for_role, refusal_text
from appraisal.dates import fmt_date
from appraisal.models import Employee, Role
from appraisal.pdf import pdf_response
from appraisal.scoring import Gradation
from legacy_commission import selectors_commission as selectors
from legacy_commission.models import (
    AgendaItem,
    AppealBody,
    CommissionMember,
    ItemDecision,
    LegacySheet,
    MeetingAttendance,
    MeetingState,
    MemberRole,
)
from legacy_commission.services import appeals as appeal_services
from legacy_commission.services import commission as services


def parse_date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _ids(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]


def post_id(request, name: str) -> int:
    """An id posted in a form field; anything but digits is no id (a 404, never a 500)."""
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else 0


def _commission(request, commission_id: int):
    return get_for_user(selectors.commissions_for_user(request.user), pk=commission_id)


def get_meeting(request, meeting_id: int):
    return get_for_user(selectors.meetings_for_user(request.user), pk=meeting_id)


def _has(user, organisation_id: int, role: str) -> bool:
    return roles.has_role(user, organisation_id, role)


# --- the Commission ---------------------------------------------------------------------


@login_required
def commission_list(request):
    user = request.user
    official_orgs = roles.organisations_with_role(user, Role.APPOINTING_OFFICIAL)
    organisation = organisation_for_role(user, Role.APPOINTING_OFFICIAL) if official_orgs else None
    return render(request, "legacy_commission/commission_list.html", {
        "commissions": list(selectors.commissions_for_user(user)),
        "organisation": organisation,
        "employees": list(Employee.objects.filter(organisation=organisation)) if organisation else [],
    })


@login_required
@require_POST
def commission_create(request):
    organisation = organisation_for_role(request.user, Role.APPOINTING_OFFICIAL)
    people = {e.pk: e for e in Employee.objects.filter(organisation=organisation)}
    post = request.POST
    try:
        chairman = people.get(post_id(request, "chairman"))
        secretary = people.get(post_id(request, "secretary"))
        if chairman is None or secretary is None:
            raise ValidationError(_("п. 59: укажите председателя и секретаря Комиссии."))
        members = [people[pk] for pk in _ids(post.getlist("members")) if pk in people]
        commission = services.create_commission(
            organisation=organisation, name=post.get("name", ""), order_reference=post.get("order_reference", ""),
            chairman=chairman, members=members, secretary=secretary, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
        return redirect("legacy_commission:commission_list")
    messages.success(request, _("Комиссия создана."))
    return redirect("legacy_commission:commission_detail", commission_id=commission.pk)


@login_required
def commission_detail(request, commission_id: int):
    commission = _commission(request, commission_id)
    user, organisation_id = request.user, commission.organisation_id
    is_chief = _has(user, organisation_id, Role.CHIEF_SPECIALIST)
    is_official = _has(user, organisation_id, Role.APPOINTING_OFFICIAL)
    meetings = selectors.meetings_for_user(user).filter(commission=commission)
    return render(request, "legacy_commission/commission_detail.html", {
        "commission": commission,
        "members": list(commission.members.select_related("employee").order_by("-active", "role", "pk")),
        "amendments": list(commission.amendments.select_related(
            "replaced__employee", "replacement__employee", "decided_by__employee")),
        "meetings": list(meetings),
        "is_chief": is_chief,
        "is_official": is_official,
        "awaiting": services.sheets_awaiting(commission.organisation) if is_chief else [],
        "earliest": services.earliest_meeting_date(timezone.localdate()) if is_chief else None,
        "employees": list(Employee.objects.filter(organisation_id=organisation_id)) if is_official else [],
        "today": timezone.localdate(),
    })


@login_required
@require_POST
def member_replace(request, commission_id: int):
    commission = _commission(request, commission_id)
    member = get_for_user(CommissionMember.objects.filter(commission=commission), pk=post_id(request, "member"))
    replacement = Employee.objects.filter(organisation_id=commission.organisation_id,
                                          pk=post_id(request, "replacement")).first()
    try:
        if replacement is None:
            raise ValidationError(_("п. 56: выберите, кем заменяется член Комиссии."))
        services.replace_member(member=member, replacement=replacement,
                                decided_on=parse_date(request.POST.get("decided_on")),
                                basis=request.POST.get("basis", ""), by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Состав Комиссии изменён (п. 56)."))
    return redirect("legacy_commission:commission_detail", commission_id=commission.pk)


@login_required
@require_POST
def meeting_schedule(request, commission_id: int):
    commission = _commission(request, commission_id)
    sheets = list(LegacySheet.objects.filter(plan__entry__schedule__organisation_id=commission.organisation_id,
                                             pk__in=_ids(request.POST.getlist("sheets"))))
    try:
        meeting = services.schedule_meeting(commission=commission, date=parse_date(request.POST.get("date")),
                                            place=request.POST.get("place", ""), sheets=sheets, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
        return redirect("legacy_commission:commission_detail", commission_id=commission.pk)
    messages.success(request, _("Заседание назначено на %(d)s; лица, осуществляющие оценку, уведомлены (п. 54).")
                     % {"d": fmt_date(meeting.date)})
    return redirect("legacy_commission:meeting_detail", meeting_id=meeting.pk)


# --- the meeting ------------------------------------------------------------------------


def _meeting_context(request, meeting) -> dict:
    user, organisation_id = request.user, meeting.commission.organisation_id
    is_chief = _has(user, organisation_id, Role.CHIEF_SPECIALIST)
    me = services.voter_for(meeting, user)
    attendance = {a.member_id: a.present for a in MeetingAttendance.objects.filter(meeting=meeting)}
    may_vote = (meeting.state == MeetingState.OPEN and me is not None and me.role != MemberRole.SECRETARY
                and attendance.get(me.pk, False))
    items = selectors.agenda(meeting)
    for item in items:
        item.my_vote = next((v for v in item.votes.all() if me and v.member_id == me.pk), None)
    members = services.active_members(meeting.commission)
    return {
        "meeting": meeting, "commission": meeting.commission, "items": items,
        "members": members,
        "attendance": [(m, attendance.get(m.pk)) for m in members] if attendance else [],
        "is_chief": is_chief,
        "can_open": is_chief and meeting.state == MeetingState.SCHEDULED,
        "earliest": services.earliest_meeting_date(timezone.localdate()) if is_chief else None,
        "may_vote": may_vote,
        # opening needs the attendance (R55): its own form above, not a bare button
        "transitions": [t for t in meeting.get_available_user_state_transitions(user) if t.name in MEETING_ACTIONS],
        "gradations": Gradation.choices,
        "appeal_bodies": AppealBody.choices,
        "can_appeal": is_chief and meeting.state in (MeetingState.DECIDED, MeetingState.APPROVED),
        "appeal_deadline": (appeal_services.appeal_deadline(items[0]) if items and meeting.state in (
            MeetingState.DECIDED, MeetingState.APPROVED) else None),
        "today": timezone.localdate(),
        # Who sees the meeting (the authorised person, R64) does not always see its appeals:
        # link only those the appeal page will open for this user.
        "openable_appeals": set(selectors.appeals_for_user(user).filter(item__meeting=meeting)
                                .values_list("pk", flat=True)),
    }


@login_required
def meeting_detail(request, meeting_id: int):
    meeting = get_meeting(request, meeting_id)
    return render(request, "legacy_commission/meeting_detail.html", _meeting_context(request, meeting))


@login_required
@require_POST
def meeting_open(request, meeting_id: int):
    meeting = get_meeting(request, meeting_id)
    try:
        services.open_meeting(meeting=meeting, present=_ids(request.POST.getlist("present")), by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Заседание открыто: кворум есть (п. 55)."))
    return redirect("legacy_commission:meeting_detail", meeting_id=meeting.pk)


@login_required
@require_POST
def meeting_reschedule(request, meeting_id: int):
    meeting = get_meeting(request, meeting_id)
    try:
        services.reschedule_meeting(meeting=meeting, date=parse_date(request.POST.get("date")),
                                    place=request.POST.get("place", ""), by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Заседание перенесено; лица, осуществляющие оценку, уведомлены (п. 54)."))
    return redirect("legacy_commission:meeting_detail", meeting_id=meeting.pk)


@login_required
@require_POST
def meeting_vote(request, meeting_id: int):
    meeting = get_meeting(request, meeting_id)
    item = get_for_user(AgendaItem.objects.filter(meeting=meeting), pk=post_id(request, "item"))
    choice = request.POST.get("choice", "")
    try:
        services.cast_vote(item=item, by=request.user, choice=choice,
                           gradation=request.POST.get("gradation") if choice == ItemDecision.REVISE else None)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Голос учтён (п. 57)."))
    return redirect("legacy_commission:meeting_detail", meeting_id=meeting.pk)


MEETING_ACTIONS = {"close_voting": services.close_voting, "approve": services.approve_results}


@login_required
@require_POST
def meeting_transition(request, meeting_id: int, name: str):
    meeting = get_meeting(request, meeting_id)
    action = MEETING_ACTIONS.get(name)
    if action is None:
        raise Http404
    try:
        action(meeting=meeting, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Готово: %(s)s.") % {"s": meeting.get_state_display()})
    return redirect("legacy_commission:meeting_detail", meeting_id=meeting.pk)


@login_required
def meeting_protocol_pdf(request, meeting_id: int):
    """Appendix 11: the draft protocol before the vote (R61), the protocol after (R63, R64)."""
    meeting = get_meeting(request, meeting_id)
    context = _meeting_context(request, meeting)
    present = [m for m, here in context["attendance"] if here]
    voting = [m for m in context["members"] if m.votes]
    context.update({
        "organisation": meeting.commission.organisation.name,  # the full name, as on every form
        "form_title": _("Протокол заседания Комиссии"),
        "appendix": _("Приложение 11 к Типовой методике"),
        "is_draft": meeting.state in (MeetingState.SCHEDULED, MeetingState.OPEN),
        "draft": meeting.state in (MeetingState.SCHEDULED, MeetingState.OPEN),  # «ПРОЕКТ» across each page
        "present_voting": [m for m in present if m.votes],
        "voting": voting,
        "quorum": services.quorum(len([m for m in present if m.votes]), len(voting)),
        "secretary": next((m for m in context["members"] if m.role == MemberRole.SECRETARY), None),
        "chairman": next((m for m in context["members"] if m.role == MemberRole.CHAIRMAN), None),
        # the protocol is signed by those present; before the meeting, lines for the whole composition
        "signers": present if present else context["members"],
    })
    return pdf_response("pdf/legacy_protocol.html", context, f"protocol-{meeting.pk}.pdf", request)
