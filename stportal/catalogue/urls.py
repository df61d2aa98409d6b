from django.urls import path

from stportal.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
]
