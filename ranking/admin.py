"""Admin: form 4 data of an edition (weights the chief specialist confirms) and the sheets,
read-only — a sent sheet changes only through calibration (R41), never by hand here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ranking.models import RankingParameter, RankingSheet


@admin.register(RankingParameter)
class RankingParameterAdmin(SimpleHistoryAdmin):
    list_display = ["title", "code", "weight", "confirmed", "edition"]
    list_filter = ["edition", "confirmed"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RankingSheet)
class RankingSheetAdmin(SimpleHistoryAdmin):
    list_display = ["entry", "state", "without_participation", "submitted_at", "notified_at"]
    list_filter = ["state", "entry__schedule__period"]
    list_select_related = ["entry__employee"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in RankingSheet._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD") and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False
