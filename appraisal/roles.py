"""Who holds which role of the Методика, looked up once per request and cached on the user.

Roles are per organisation (RoleAssignment). Being an evaluator is not a role that is
assigned: it follows from the positions (appraisal.selectors.org_chart).
"""

import datetime as dt

from django.utils import timezone


def role_map(user) -> dict[int, set[str]]:
    """{organisation id: {role, …}} for the roles the user holds today."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_bagalau_roles", None)
    if cached is not None:
        return cached
    from appraisal.models import RoleAssignment

    today = timezone.localdate()
    result: dict[int, set[str]] = {}
    for organisation_id, role, start, end in RoleAssignment.objects.filter(user=user).values_list(
        "organisation_id", "role", "start", "end"
    ):
        if _active(start, end, today):
            result.setdefault(organisation_id, set()).add(role)
    user._bagalau_roles = result
    return result


def _active(start: dt.date | None, end: dt.date | None, today: dt.date) -> bool:
    return (start is None or start <= today) and (end is None or today <= end)


def has_role(user, organisation_id: int, role: str) -> bool:
    return role in role_map(user).get(organisation_id, set())


def organisations_with_role(user, *role_names: str) -> list[int]:
    """The organisations where the user holds at least one of `role_names`."""
    wanted = set(role_names)
    return [org_id for org_id, held in role_map(user).items() if held & wanted]


def all_roles(user) -> set[str]:
    """Every role the user holds today, in any organisation (for navigation and home pages)."""
    return set().union(*role_map(user).values())


def can_prepare_schedule(instance, user) -> bool:
    from appraisal.models import Role

    return has_role(user, instance.organisation_id, Role.CHIEF_SPECIALIST)


def can_approve_schedule(instance, user) -> bool:
    from appraisal.models import Role

    return has_role(user, instance.organisation_id, Role.APPOINTING_OFFICIAL)
