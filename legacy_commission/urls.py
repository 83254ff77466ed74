"""Chapter 6 URLs. The plan and sheet pages (R43–R53) come first; the Commission's pages
(R54–R68) are appended below by their module. Parameter names are the app's own
(legacy_plan_id, legacy_sheet_id …) so tests/security/test_R20_every_url.py can tell them
from chapter 2's."""

from django.urls import path

from legacy_commission.views import plans, sheets

app_name = "legacy_commission"

plan_patterns = [
    path("", plans.index, name="index"),
    path("entries/<int:entry_id>/plan/", plans.plan_create, name="plan_create"),
    path("plans/<int:legacy_plan_id>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:legacy_plan_id>/kcis/add/", plans.kci_add, name="kci_add"),
    path("plans/<int:legacy_plan_id>/kcis/<int:legacy_kci_id>/", plans.kci_edit, name="kci_edit"),
    path("plans/<int:legacy_plan_id>/kcis/<int:legacy_kci_id>/delete/", plans.kci_delete, name="kci_delete"),
    path("plans/<int:legacy_plan_id>/do/<str:name>/", plans.plan_transition, name="plan_transition"),
    path("plans/<int:legacy_plan_id>/form9.pdf", plans.plan_pdf, name="plan_pdf"),
    path("plans/<int:legacy_plan_id>/sheet/", sheets.sheet_open, name="sheet_open"),
]

sheet_patterns = [
    path("sheets/<int:legacy_sheet_id>/", sheets.sheet_detail, name="sheet_detail"),
    path("sheets/<int:legacy_sheet_id>/lines/<int:legacy_line_id>/", sheets.line_save, name="line_save"),
    path("sheets/<int:legacy_sheet_id>/files/<int:legacy_file_id>/", sheets.evidence_file, name="evidence_file"),
    path("sheets/<int:legacy_sheet_id>/files/<int:legacy_file_id>/delete/", sheets.evidence_delete,
         name="evidence_delete"),
    path("sheets/<int:legacy_sheet_id>/do/<str:name>/", sheets.sheet_transition, name="sheet_transition"),
    path("sheets/<int:legacy_sheet_id>/form10.pdf", sheets.sheet_pdf, name="sheet_pdf"),
]

urlpatterns = plan_patterns + sheet_patterns
# The Commission's routes follow as `urlpatterns += [...]` (legacy_commission/views/commission.py).

# The Commission (R54–R64) and the appeals of its decision (R67, R68) — helper legb.
from legacy_commission.views import appeals as appeal_views  # noqa: E402
from legacy_commission.views import commission as commission_views  # noqa: E402

urlpatterns += [
    path("commissions/", commission_views.commission_list, name="commission_list"),
    path("commissions/new/", commission_views.commission_create, name="commission_create"),
    path("commissions/<int:commission_id>/", commission_views.commission_detail, name="commission_detail"),
    path("commissions/<int:commission_id>/replace/", commission_views.member_replace, name="member_replace"),
    path("commissions/<int:commission_id>/meetings/new/", commission_views.meeting_schedule, name="meeting_schedule"),
    path("meetings/<int:meeting_id>/", commission_views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_id>/open/", commission_views.meeting_open, name="meeting_open"),
    path("meetings/<int:meeting_id>/reschedule/", commission_views.meeting_reschedule, name="meeting_reschedule"),
    path("meetings/<int:meeting_id>/vote/", commission_views.meeting_vote, name="meeting_vote"),
    path("meetings/<int:meeting_id>/do/<str:name>/", commission_views.meeting_transition, name="meeting_transition"),
    path("meetings/<int:meeting_id>/form11.pdf", commission_views.meeting_protocol_pdf, name="meeting_protocol_pdf"),
    path("meetings/<int:meeting_id>/appeals/new/", appeal_views.appeal_file, name="appeal_file"),
    path("appeals/<int:appeal_id>/", appeal_views.appeal_detail, name="appeal_detail"),
    path("appeals/<int:appeal_id>/outcome/", appeal_views.appeal_outcome, name="appeal_outcome"),
]
