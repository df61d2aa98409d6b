"""Annual reports (SPEC 5 P13), mounted at /arsrapporter/."""

from django.urls import path

from stportal.annualreport import views

app_name = "annualreport"

urlpatterns = [
    path("", views.index, name="index"),
    path("ny/", views.new, name="new"),
    path("st-lakare/<id:trainee_id>/", views.trainee, name="trainee"),
    path("<id:report_id>/", views.detail, name="detail"),
    path("<id:report_id>/uppdatera/", views.refresh, name="refresh"),
    path("<id:report_id>/granska/", views.review, name="review"),
    path("<id:report_id>/jamfor/", views.compare_versions, name="compare"),
    path("<id:report_id>/pdf/", views.pdf, name="pdf"),
]
