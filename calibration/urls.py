from django.urls import path

from calibration import views

app_name = "calibration"


def _action(name: str):
    return path(f"cases/<int:case_id>/{name.replace('_', '-')}/", views.case_action, {"action": name}, name=name)


urlpatterns = [
    path("", views.case_list, name="cases"),
    path("apply/<int:result_id>/", views.apply, name="apply"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/file/", views.case_file, name="case_file"),
    path("cases/<int:case_id>/protocol.pdf", views.protocol_pdf, name="protocol_pdf"),
    path("cases/<int:case_id>/feedback.pdf", views.feedback_pdf, name="feedback_pdf"),
    *[_action(name) for name in views.ACTIONS],
]
