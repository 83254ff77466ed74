from django.urls import path

from kci import views

app_name = "kci"
urlpatterns = [
    path("", views.index, name="index"),
    path("my/", views.my_kci, name="my"),
    path("entries/<int:entry_id>/plan/", views.plan_create, name="plan_create"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/kcis/add/", views.kci_add, name="kci_add"),
    path("plans/<int:plan_id>/kcis/<int:kci_id>/", views.kci_edit, name="kci_edit"),
    path("plans/<int:plan_id>/kcis/<int:kci_id>/delete/", views.kci_delete, name="kci_delete"),
    path("plans/<int:plan_id>/do/<str:name>/", views.plan_transition, name="plan_transition"),
    path("plans/<int:plan_id>/sheet/", views.sheet_open, name="sheet_open"),
    path("plans/<int:plan_id>/form1.pdf", views.plan_pdf, name="plan_pdf"),
    path("sheets/<int:sheet_id>/", views.sheet_detail, name="sheet_detail"),
    path("sheets/<int:sheet_id>/lines/<int:line_id>/", views.line_actual, name="line_actual"),
    path("sheets/<int:sheet_id>/lines/<int:line_id>/evidence/", views.line_evidence, name="line_evidence"),
    path("sheets/<int:sheet_id>/do/<str:name>/", views.sheet_transition, name="sheet_transition"),
    path("sheets/<int:sheet_id>/form2.pdf", views.sheet_pdf, name="sheet_pdf"),
    path("table/", views.score_table, name="score_table"),
    path("table/form3.pdf", views.score_table_pdf, name="score_table_pdf"),
]
