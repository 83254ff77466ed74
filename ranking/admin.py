"""Admin: form 4 data of an edition (weights the chief specialist confirms) and the sheets,
read-only and without their scores — a sent sheet changes only through calibration (R41),
never by hand here, and its values reach only those R20 names."""

from django.contrib import admin

from appraisal.admin_readonly import EvaluativeAdmin, HistoryAdmin
from ranking.models import RankingParameter, RankingSheet


@admin.register(RankingParameter)
class RankingParameterAdmin(HistoryAdmin):
    list_display = ["title", "code", "weight", "confirmed", "edition"]
    list_filter = ["edition", "confirmed"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RankingSheet)
class RankingSheetAdmin(EvaluativeAdmin):
    list_display = ["entry", "state", "without_participation", "submitted_at", "notified_at"]
    list_filter = ["state", "entry__schedule__period"]
    list_select_related = ["entry__employee"]
    evaluative_fields = ("quality", "quality_comment", "deadlines", "deadlines_comment", "initiative",
                         "initiative_comment", "discipline", "discipline_comment")
