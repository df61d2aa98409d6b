"""Study time (SPEC 5), mounted at /studietid/."""

from django.urls import URLPattern

app_name = "studytime"

urlpatterns: list[URLPattern] = []
