from django.urls import path

from stportal.courses import views

app_name = "courses"
urlpatterns = [
    path("kurser/", views.catalogue, name="catalogue"),
    path("kurser/<id:week_id>/", views.week, name="week"),
    path("information/", views.information, name="info"),
]
