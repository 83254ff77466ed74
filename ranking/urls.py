from django.urls import path

from ranking import views

app_name = "ranking"
urlpatterns = [
    path("evaluate/<int:period_id>/", views.evaluate, name="evaluate"),
    path("sheets/<int:sheet_id>/", views.sheet_detail, name="sheet"),
    path("sheets/<int:sheet_id>/pdf/", views.sheet_pdf, name="sheet_pdf"),
    path("quarters/<int:period_id>/pdf/", views.quarter_pdf, name="quarter_pdf"),
    path("quarters/<int:period_id>/overview/", views.overview, name="overview"),
    path("report/<int:period_id>/", views.decision_report, name="report"),
]
