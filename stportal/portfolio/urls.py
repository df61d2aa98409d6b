from django.urls import path

from stportal.portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("", views.trainees, name="trainees"),
    path("min-tackning/", views.my_coverage, name="my_coverage"),
    path("<id:trainee_id>/", views.record, name="record"),
    path("<id:trainee_id>/tackning/", views.coverage, name="coverage"),
]
