"""Annual reports (SPEC 5), mounted at /arsrapporter/."""

from django.urls import URLPattern

app_name = "annualreport"

urlpatterns: list[URLPattern] = []
