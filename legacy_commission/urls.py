from django.urls import path  # noqa: F401

app_name = "legacy_commission"
urlpatterns = []
