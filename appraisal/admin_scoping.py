"""Many bodies in one installation: in the Django admin, a user who is not a superuser sees
only the rows of the bodies where she holds a role (RoleAssignment) — the lists, the change
and history pages, the search, and the choices of a form's foreign keys.

Which body a row belongs to is found by following its foreign keys to Organisation (the
shortest chain, e.g. ScheduleEntry → schedule → organisation), so a model added later is
scoped without listing it here. A ModelAdmin may name the chain itself
(`organisation_path = "user__employee__organisation"`) when it runs through a reverse
relation. Rows with no body (periods, the national working-day calendar) are not scoped:
the model permissions decide who sees them. A template edition (no body) belongs to the
installation: only a superuser sees it.
"""

from functools import cache

from django.db import models

from appraisal import roles

_MAX_HOPS = 5
_SKIPPED_APPS = {"auth", "contenttypes", "admin", "sessions", "axes"}


@cache
def organisation_path(model) -> str | None:
    """The shortest chain of forward foreign keys from `model` to Organisation, or None."""
    from appraisal.models import Organisation

    if model is Organisation:
        return "pk"
    frontier = [(model, "")]
    seen = {model}
    for _hop in range(_MAX_HOPS):
        following = []
        for current, prefix in frontier:
            for field in current._meta.concrete_fields:
                if not isinstance(field, models.ForeignKey):  # OneToOneField is a ForeignKey
                    continue
                target = field.related_model
                path = f"{prefix}{field.name}"
                if target is Organisation:
                    return path
                if target in seen or target._meta.app_label in _SKIPPED_APPS:
                    continue
                seen.add(target)
                following.append((target, f"{path}__"))
        frontier = following
    return None


def scoped(queryset, user, path: str | None = None):
    """`queryset` cut to the bodies where `user` holds a role (all of it for a superuser)."""
    if getattr(user, "is_superuser", False):
        return queryset
    path = path or organisation_path(queryset.model)
    if path is None:
        return queryset
    return queryset.filter(**{f"{path}__in": sorted(roles.role_map(user))})


class OrganisationScopedAdmin:
    """Mixed into every ModelAdmin of the project (appraisal.admin_readonly.HistoryAdmin)."""

    organisation_path: str | None = None

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user, self.organisation_path)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scoped(field.queryset, request.user)
        return field
