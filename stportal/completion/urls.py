"""Specialist application (SPEC 5), mounted at /specialistansokan/."""

from django.urls import URLPattern

app_name = "completion"

urlpatterns: list[URLPattern] = []
