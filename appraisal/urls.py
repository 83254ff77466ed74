from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from appraisal.views import (
    accounts,
    calendar,
    disputes,
    edition,
    home,
    imports,
    jobs,
    periods,
    results,
    retention,
    schedules,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("lockouts/", accounts.lockouts, name="lockouts"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("periods/", periods.period_list, name="period_list"),
    path("periods/<int:period_id>/", periods.period_detail, name="period_detail"),
    path("periods/<int:period_id>/schedule/generate/", schedules.schedule_generate, name="schedule_generate"),
    path("schedules/<int:schedule_id>/", schedules.schedule_detail, name="schedule_detail"),
    path("results/<int:result_id>/", results.result_detail, name="result_detail"),
    path("results/<int:result_id>/acknowledge/", results.result_acknowledge, name="result_acknowledge"),
    path("results/<int:result_id>/notice/", results.result_notice, name="result_notice"),
    path("results/<int:result_id>/notice/scan/", results.result_notice_scan, name="result_notice_scan"),
    path("schedules/<int:schedule_id>/<str:transition>/", schedules.schedule_transition, name="schedule_transition"),
    path("methodology/", edition.edition_page, name="edition"),
    path("calendar/", calendar.overrides, name="calendar_overrides"),
    path("staff/import/", imports.staff_import, name="staff_import"),
    path("disputes/", disputes.dispute_list, name="dispute_list"),
    path("disputes/<int:dispute_id>/", disputes.dispute_detail, name="dispute_detail"),
    path("retention/", retention.retention_list, name="retention_list"),
    path("retention/dispose/", retention.retention_dispose, name="retention_dispose"),
    path("jobs/<int:job_id>/", jobs.job_detail, name="job_detail"),
    path("jobs/<int:job_id>/status/", jobs.job_status, name="job_status"),
    path("jobs/<int:job_id>/file/", jobs.job_download, name="job_download"),
    path("kci/", include("kci.urls")),
    path("ranking/", include("ranking.urls")),
    path("survey360/", include("survey360.urls")),
    path("calibration/", include("calibration.urls")),
    path("legacy/", include("legacy_commission.urls")),
    path(settings.ADMIN_PATH, admin.site.urls),
]
