from django.urls import path

from survey360 import views

app_name = "survey360"
urlpatterns = [
    path("", views.tasks, name="tasks"),
    path("assess/<int:subject_id>/", views.assess, name="assess"),
    path("self/<int:subject_id>/", views.self_assess, name="self"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:campaign_id>/training/", views.training, name="training"),
    path("campaigns/<int:campaign_id>/training.xlsx", views.training_xlsx, name="training_xlsx"),
    path("campaigns/<int:campaign_id>/training.pdf", views.training_pdf, name="training_pdf"),
    path("campaigns/<int:campaign_id>/<str:transition>/", views.campaign_transition, name="transition"),
    path("circle/add/", views.circle_add, name="circle_add"),
    path("circle/remove/<uuid:respondent_id>/", views.circle_remove, name="circle_remove"),
    path("report/<int:subject_id>/", views.report, name="report"),
    path("report/<int:subject_id>/pdf/", views.report_pdf, name="report_pdf"),
    path("feedback/<int:subject_id>/", views.feedback, name="feedback"),
    path("feedback/<int:subject_id>/pdf/", views.feedback_pdf, name="feedback_pdf"),
]
