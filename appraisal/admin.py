"""The Django admin: every model with its history (django-simple-history), and the
schedule's transitions as buttons (django-fsm-2), permission-checked like the pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from appraisal import models as m
from appraisal.admin_transitions import ReasonForm, ServiceTransitionsAdmin
from appraisal.services import schedules as schedule_services

admin.site.site_header = "Бағалау — администрирование"


@admin.register(m.Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    search_fields = ["name", "short_name"]


@admin.register(m.Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "category", "reports_to", "organisation"]
    list_filter = ["organisation", "kind"]
    search_fields = ["title"]


class AppointmentInline(admin.TabularInline):
    model = m.Appointment
    extra = 0
    autocomplete_fields = ["position"]


class AbsenceInline(admin.TabularInline):
    model = m.Absence
    extra = 0


@admin.register(m.Employee)
class EmployeeAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "organisation", "email", "mobile", "user"]
    list_filter = ["organisation"]
    search_fields = ["last_name", "first_name", "personnel_number"]
    inlines = [AppointmentInline, AbsenceInline]


@admin.register(m.Appointment)
class AppointmentAdmin(SimpleHistoryAdmin):
    list_display = ["employee", "position", "start", "end", "dismissed"]
    list_filter = ["dismissed", "position__organisation"]


@admin.register(m.Absence)
class AbsenceAdmin(SimpleHistoryAdmin):
    list_display = ["employee", "kind", "start", "end"]
    list_filter = ["kind"]


@admin.register(m.RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "role", "user", "start", "end"]


class RuleValidityInline(admin.TabularInline):
    model = m.RuleValidity
    extra = 0


@admin.register(m.MethodologyEdition)
class MethodologyEditionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "decision_number", "decision_date", "published_on"]
    inlines = [RuleValidityInline]


@admin.register(m.WorkingDayOverride)
class WorkingDayOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["date", "is_working", "reason"]


@admin.register(m.Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "start", "end"]
    list_filter = ["kind", "year"]


class ScheduleEntryInline(admin.TabularInline):
    model = m.ScheduleEntry
    extra = 0
    readonly_fields = ["employee", "position", "method", "participation", "reason", "rule_id", "reason_detail",
                       "evaluator"]
    can_delete = False


@admin.register(m.Schedule)
class ScheduleAdmin(ServiceTransitionsAdmin, SimpleHistoryAdmin):
    list_display = ["period", "organisation", "state", "generated_at", "approved_at"]
    list_filter = ["state", "organisation"]
    fsm_fields = ["state"]
    fsm_forms = {"return_for_rework": ReasonForm}
    transition_services = {
        "submit": lambda obj, user: schedule_services.submit_schedule(schedule=obj, by=user),
        "approve": lambda obj, user: schedule_services.approve_schedule(schedule=obj, by=user),
        "return_for_rework": lambda obj, user, reason: schedule_services.return_schedule(
            schedule=obj, by=user, reason=reason),
    }
    readonly_fields = ["state", "submitted_at", "approved_at", "approved_by", "generated_by"]
    inlines = [ScheduleEntryInline]


@admin.register(m.ScheduleEntry)
class ScheduleEntryAdmin(SimpleHistoryAdmin):
    list_display = ["employee", "schedule", "method", "participation", "rule_id"]
    list_filter = ["method", "participation"]


@admin.register(m.PeriodResult)
class PeriodResultAdmin(SimpleHistoryAdmin):
    list_display = ["entry", "score", "gradation", "completed_at"]


@admin.register(m.OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["key", "channel", "recipient", "state", "attempts", "due_at", "sent_at"]
    list_filter = ["state", "channel"]
    search_fields = ["key", "recipient"]
