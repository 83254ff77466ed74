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

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404

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

    def get_list_filter(self, request):
        """A filter on a relation lists every row of the related model (every body): for a
        body's user, only the related rows her own rows point to."""
        filters = list(super().get_list_filter(request))
        if getattr(request.user, "is_superuser", False):
            return filters
        scoped_filters = []
        for entry in filters:
            if isinstance(entry, str):
                try:
                    field = get_fields_from_path(self.model, entry)[-1]
                except Exception:  # noqa: BLE001 - not a field path: leave the entry as it is
                    field = None
                if field is not None and field.is_relation:
                    entry = (entry, admin.RelatedOnlyFieldListFilter)
            scoped_filters.append(entry)
        return scoped_filters

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scoped(field.queryset, request.user)
        return field

    # simple-history's pages fall back to the last historical row of an object the queryset
    # leaves out, which would show another body's row and who changed it: a 404 instead.
    def _require_in_scope(self, request, object_id) -> None:
        if getattr(request.user, "is_superuser", False):
            return
        try:
            found = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, TypeError, ValidationError):
            found = False
        if not found:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
