"""Competence assessments (SPEC 5), mounted at /bedomningar/."""

from django.urls import URLPattern

app_name = "assessments"

urlpatterns: list[URLPattern] = []
