"""Admin: every chapter-2 record with its history (read the versions there too)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kci import models as m


class RowInline(admin.TabularInline):
    model = m.AdmissibleScoreRow
    extra = 0


@admin.register(m.AdmissibleScoreTable)
class AdmissibleScoreTableAdmin(SimpleHistoryAdmin):
    list_display = ["edition", "is_default", "confirmed_at"]
    inlines = [RowInline]


class KciInline(admin.StackedInline):
    model = m.Kci
    extra = 0


@admin.register(m.IndividualPlan)
class IndividualPlanAdmin(SimpleHistoryAdmin):
    list_display = ["entry", "state", "version", "approved_at", "posted_at"]
    list_filter = ["state"]
    readonly_fields = ["state"]
    inlines = [KciInline]


@admin.register(m.PlanVersion)
class PlanVersionAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "number", "approved_at", "approved_by_name"]


class LineInline(admin.TabularInline):
    model = m.KciScoreLine
    extra = 0


@admin.register(m.KciScoreSheet)
class KciScoreSheetAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "state", "sent_at", "submitted_at", "score"]
    readonly_fields = ["state"]
    inlines = [LineInline]
