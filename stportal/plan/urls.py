"""Education plan and timeline (SPEC 5), mounted at /utbildningsplan/."""

from django.urls import URLPattern

app_name = "plan"

urlpatterns: list[URLPattern] = []
