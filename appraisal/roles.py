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


def home_organisation_id(user) -> int | None:
    """The body whose methodology data (editions, tables, forms) a user reads: where she is
    chief specialist, else where she holds another role, else where she is employed; None for
    an installation account (it reads the templates)."""
    held = role_map(user)
    chief_of = sorted(org_id for org_id, names in held.items() if "chief_specialist" in names)
    if chief_of or held:
        return (chief_of or sorted(held))[0]
    records = employee_records(user)
    return records[0][1] if records else None


def employee_records(user) -> list[tuple[int, int]]:
    """(employee id, organisation id) of each of the user's employee records, in the
    employees' order; read once per request (volatile: any write reads them again)."""
    if not getattr(user, "is_authenticated", False):
        return []
    from appraisal.models import Employee
    from appraisal.request_memo import memoised

    return memoised(("employee_records", user.pk), lambda: list(
        Employee.objects.filter(user=user).values_list("pk", "organisation_id")), volatile=True)


# The installation-level role. A region installs Bagalau once for many bodies; what is
# national (the working-day calendar: transfers are decreed for the whole country) is kept
# by the installation's administrators, not by each body's chief specialist. The role is
# Django's: a superuser, or a member of this group, which holds the calendar's permissions
# (manage.py installation_admin <username> creates it and adds the user).
INSTALLATION_ADMINS_GROUP = "Администратор установки"
INSTALLATION_PERMISSIONS = ("appraisal.view_workingdayoverride", "appraisal.add_workingdayoverride",
                            "appraisal.change_workingdayoverride", "appraisal.delete_workingdayoverride")


def is_installation_admin(user) -> bool:
    """Whether the user keeps the national calendar's overrides (WD) for every body."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    return user.is_superuser or user.has_perms(INSTALLATION_PERMISSIONS)


def can_prepare_schedule(instance, user) -> bool:
    from appraisal.models import Role

    return has_role(user, instance.organisation_id, Role.CHIEF_SPECIALIST)


def can_approve_schedule(instance, user) -> bool:
    from appraisal.models import Role

    return has_role(user, instance.organisation_id, Role.APPOINTING_OFFICIAL)
