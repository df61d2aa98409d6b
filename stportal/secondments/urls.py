"""Secondments, training allowance and credited service (SPEC 5), mounted at /sidotjanstgoring/."""

from django.urls import URLPattern

app_name = "secondments"

urlpatterns: list[URLPattern] = []
