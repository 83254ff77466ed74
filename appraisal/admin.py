"""The Django admin: every model with its history (django-simple-history; appraisal.admin_readonly), and the
schedule's transitions as buttons (django-fsm-2), permission-checked like the pages."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy

from appraisal import models as m
from appraisal.admin_readonly import EvaluativeAdmin, HistoryAdmin, person_name
from appraisal.admin_scoping import OrganisationScopedAdmin
from appraisal.admin_transitions import ReasonForm, ServiceTransitionsAdmin
from appraisal.languages import rule_citation
from appraisal.services import absences as absence_services
from appraisal.services import editions as edition_services
from appraisal.services import schedules as schedule_services

admin.site.site_header = gettext_lazy("Бағалау — администрирование")


def paragraph(rule_id: str) -> str:
    """«п. 28» for the rule id R28 that the code keeps (docs/methodology/rules.md)."""
    return rule_citation(rule_id.removeprefix("R")) if rule_id else "—"


@admin.register(m.Organisation)
class OrganisationAdmin(HistoryAdmin):
    search_fields = ["name", "short_name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # a new body starts from copies of the installation's template editions
            edition_services.start_organisation(obj, by=request.user)


@admin.register(m.Position)
class PositionAdmin(HistoryAdmin):
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
class EmployeeAdmin(HistoryAdmin):
    list_display = ["full_name", "organisation", "email", "mobile", "user"]
    list_filter = ["organisation"]
    search_fields = ["last_name", "first_name", "personnel_number"]
    inlines = [AppointmentInline, AbsenceInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        absence_services.rejudge_employee(employee=form.instance, by=request.user)  # R5.2: the absences inline


@admin.register(m.Appointment)
class AppointmentAdmin(HistoryAdmin):
    list_display = ["employee", "position", "start", "end", "dismissed"]
    list_filter = ["dismissed", "position__organisation"]


@admin.register(m.Absence)
class AbsenceAdmin(HistoryAdmin):
    list_display = ["employee", "kind", "start", "end"]
    list_filter = ["kind"]

    # R5.2: an absence entered, changed or removed here re-judges the person's open lines.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        absence_services.rejudge_employee(employee=obj.employee, by=request.user)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        absence_services.rejudge_employee(employee=obj.employee, by=request.user)

    def delete_queryset(self, request, queryset):
        employees = list(m.Employee.objects.filter(pk__in=queryset.values("employee_id")))
        super().delete_queryset(request, queryset)
        for employee in employees:
            absence_services.rejudge_employee(employee=employee, by=request.user)


@admin.register(m.RoleAssignment)
class RoleAssignmentAdmin(HistoryAdmin):
    list_display = ["organisation", "role", "user", "start", "end"]


class RuleValidityInline(admin.TabularInline):
    model = m.RuleValidity
    extra = 0


@admin.register(m.MethodologyEdition)
class MethodologyEditionAdmin(HistoryAdmin):
    list_display = ["title", "organisation", "decision_number", "decision_date", "published_on"]
    list_filter = ["organisation"]
    inlines = [RuleValidityInline]


@admin.register(m.WorkingDayOverride)
class WorkingDayOverrideAdmin(HistoryAdmin):
    list_display = ["date", "is_working", "reason"]


@admin.register(m.Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "start", "end"]
    list_filter = ["kind", "year"]


class ScheduleEntryInline(admin.TabularInline):
    model = m.ScheduleEntry
    extra = 0
    can_delete = False
    # Lines come from the eligibility rules (generate_schedule), never typed: every field is
    # read only, and the paragraph reads «п. 28», not the code's R28.
    fields = readonly_fields = ["employee", "position", "method", "participation", "reason", "entry_paragraph",
                                "reason_detail", "conducted_from", "evaluator"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("пункт методики"))
    def entry_paragraph(self, obj):
        return paragraph(obj.rule_id)


@admin.register(m.Schedule)
class ScheduleAdmin(ServiceTransitionsAdmin, HistoryAdmin):
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
    fields = readonly_fields = ["organisation", "period", "state", "generated_at", "generated_by_name",
                                "submitted_at", "approved_at", "approved_by_name", "return_reason"]
    inlines = [ScheduleEntryInline]

    @admin.display(description=gettext_lazy("сформировал(а)"))
    def generated_by_name(self, obj):
        return person_name(obj.generated_by)

    @admin.display(description=gettext_lazy("утвердил(а)"))
    def approved_by_name(self, obj):
        return person_name(obj.approved_by)

    def has_add_permission(self, request):
        return False  # a schedule is generated by the chief specialist (R10), on the period page

    def _apply_fsm_transition(self, *, obj, transition_name: str, request, kwargs=None) -> bool:
        from appraisal.next_steps import late_schedule_notice

        done = super()._apply_fsm_transition(obj=obj, transition_name=transition_name, request=request, kwargs=kwargs)
        if done and transition_name == "approve" and (notice := late_schedule_notice(obj, timezone.localdate())):
            self.message_user(request, notice, messages.WARNING)  # R4: approved after the last day of evaluation
        return done


@admin.register(m.ScheduleEntry)
class ScheduleEntryAdmin(HistoryAdmin):
    list_display = ["employee", "schedule", "method", "participation", "entry_paragraph"]
    list_filter = ["method", "participation"]
    fields = readonly_fields = ScheduleEntryInline.fields

    @admin.display(description=gettext_lazy("пункт методики"), ordering="rule_id")
    def entry_paragraph(self, obj):
        return paragraph(obj.rule_id)

    # Lines come from the eligibility rules (generate_schedule): a typed evaluator or method
    # would hand a person's sheets to someone R20 does not name.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.PeriodResult)
class PeriodResultAdmin(EvaluativeAdmin):
    # Whose result and when, never the value (R20): an administrator is not among those who may know it.
    list_display = ["entry", "completed_at", "adjusted_at"]
    evaluative_fields = ("score", "gradation", "original_score", "original_gradation", "adjustment_basis")


@admin.register(m.OutboxMessage)
class OutboxMessageAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    """For the operator: what was sent to whom and whether it failed. Read only, and without
    the text: a notice may quote a reason given about a person's evaluation (R20)."""
    list_display = ["key", "channel", "recipient", "state", "attempts", "due_at", "sent_at"]
    list_filter = ["state", "channel"]
    search_fields = ["key", "recipient"]
    exclude = ["body"]
    organisation_path = "user__employee__organisation"

    def lookup_allowed(self, lookup, value, request=None):
        # The admin accepts a lookup on any of the model's own fields: ?body__icontains=… would
        # count the notices whose hidden text holds a guess, letter by letter.
        if lookup.split("__")[0] in self.exclude:
            return False
        return super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(m.Acknowledgement)
class AcknowledgementAdmin(OrganisationScopedAdmin, admin.ModelAdmin):
    # R11: how and when a person was acquainted with a result — never the value (R20). Read
    # only: acknowledgements are written by the services of the result page. The scan has
    # no URL (appraisal.uploads) and is served only on the result page, so it is not shown.
    list_display = ["result", "channel", "acknowledged_on", "recorded_at"]
    list_filter = ["channel"]
    list_select_related = ["result__entry__employee"]
    fields = ["result", "channel", "acknowledged_on", "acknowledged_at", "reference", "recorded_by", "recorded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
