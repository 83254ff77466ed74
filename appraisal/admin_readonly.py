"""Admin classes for records that must not be edited, or not even read, in the Django admin.

`HistoryAdmin` is SimpleHistoryAdmin with one hole closed: simple-history's version page
(`…/history/<version>/`) saves a POSTed form after checking only the *view* permission, so a
read-only user could rewrite a row by «reverting» it. Use it instead of SimpleHistoryAdmin.

`EvaluativeAdmin` is for every model that carries a result, a score, a plan's content, an
answer or a vote. R20 names who may know a result — a system administrator is not among
them — and R14 keeps the documents for three years. So in the admin such a record:
- shows only its header (whose, which period, state, dates), never the fields listed in
  `evaluative_fields` — not on the change page, the list, its search and filters, the history
  list (whose «Changes» column would show old → new values) or a history version page;
- is never added, changed, reverted or deleted, by anyone, the superuser included: values
  change only through the services on the process pages, which ask the R20 selector;
- keeps its transition buttons (ServiceTransitionsAdmin): they lead to the confirmation page,
  which calls the service (appraisal/admin_transitions.py), not to a form save.
The model's own __str__ must name no value either (it is what the lists and history show).
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from appraisal.admin_scoping import OrganisationScopedAdmin
from appraisal.templatetags.rule_words import norm_words


def person_name(user) -> str:
    """The person behind an account, as the pages name them (Ахметова А. Б.), not the log-in."""
    if user is None or getattr(user, "pk", None) is None:
        return "—"
    employee = getattr(user, "employee", None)
    return employee.short_name if employee else (user.get_full_name() or user.get_username())


class ReadableHistory(HistoricalRecordContextHelper):
    """The «Изменения» column of a history page in words: «на утверждении → утверждён»,
    «— → Касымова Д. М.», «05.01.2026 10:00», «п. 6» — not on_approval, a log-in, an ISO
    timestamp or R6."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value is None or value == "" or (hasattr(value, "_meta") and getattr(value, "pk", 0) is None):
            return "—"
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        related = getattr(field, "related_model", None)
        if related is not None and related._meta.label == settings.AUTH_USER_MODEL:
            return person_name(value)
        if isinstance(value, bool):
            return _("да") if value else _("нет")
        if isinstance(value, dt.datetime):
            return f"{timezone.localtime(value):%d.%m.%Y %H:%M}"
        if isinstance(value, dt.date):
            return f"{value:%d.%m.%Y}"
        if field.name == "rule_id":
            return norm_words(value)
        return super().prepare_delta_change_value(change, value)


class HistoryAdmin(OrganisationScopedAdmin, SimpleHistoryAdmin):
    # OrganisationScopedAdmin: a user who is not a superuser sees only her bodies' rows.
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistory(self.model, historical_record)


def _names(entry) -> set[str]:
    """The field names a list_display / list_filter / search_fields entry touches."""
    if isinstance(entry, (tuple, list)):
        entry = entry[0]
    if not isinstance(entry, str):
        return set()
    return set(entry.lstrip("^=@").split("__"))


class EvaluativeAdmin(HistoryAdmin):
    evaluative_fields: tuple[str, ...] = ()
    inlines = ()  # an inline would show the content rows (KCIs, score lines) with their values

    def _hidden(self) -> set[str]:
        return set(self.evaluative_fields)

    def _shown(self, entries) -> list:
        return [entry for entry in entries if not (_names(entry) & self._hidden())]

    # Nothing is written here, by anyone.
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_inlines(self, request, obj):
        return []

    # Only the header is shown.
    def get_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.concrete_fields
                if not f.primary_key and f.name not in self._hidden()]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def get_exclude(self, request, obj=None):
        return sorted(self._hidden())

    def get_list_display(self, request):
        return self._shown(super().get_list_display(request)) or ["__str__"]

    def get_list_display_links(self, request, list_display):
        return self._shown(super().get_list_display_links(request, list_display) or []) or None

    def get_list_filter(self, request):
        return self._shown(super().get_list_filter(request))

    def lookup_allowed(self, lookup, value, request=None):
        # The admin accepts any lookup on a model's own field from the query string
        # (?score__gte=4): a count of rows would give the values away.
        if _names(lookup) & self._hidden():
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_search_fields(self, request):
        return self._shown(super().get_search_fields(request))

    def get_sortable_by(self, request):
        return self._shown(super().get_sortable_by(request))

    def get_history_list_display(self, request):
        return self._shown(super().get_history_list_display(request))

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(current, excluded_fields=sorted(self._hidden()),
                                              foreign_keys_are_objs=foreign_keys_are_objs)
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
