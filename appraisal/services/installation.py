"""The installation-level role (appraisal.roles.is_installation_admin): who keeps what every
body of the installation shares, the national working-day calendar (WD)."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from appraisal import roles


@transaction.atomic
def grant_installation_admin(user) -> Group:
    """Put `user` in the group «Администратор установки», which holds the calendar's permissions."""
    group, _created = Group.objects.get_or_create(name=roles.INSTALLATION_ADMINS_GROUP)
    for label in roles.INSTALLATION_PERMISSIONS:
        app_label, codename = label.split(".")
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    user.groups.add(group)
    if hasattr(user, "_perm_cache"):  # Django caches a user's permissions on the object
        del user._perm_cache
    if hasattr(user, "_group_perm_cache"):
        del user._group_perm_cache
    return group
