"""Competence assessments (SPEC 5 P12), mounted at /bedomningar/."""

from django.urls import path

from stportal.assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("ny/", views.new, name="new"),
    path("handledda/", views.supervised, name="supervised"),
    path("st-lakare/<id:trainee_id>/", views.trainee, name="trainee"),
    path("<id:assessment_id>/", views.detail, name="detail"),
    path("<id:assessment_id>/aterkalla/", views.withdraw, name="withdraw"),
    path("<id:assessment_id>/skicka-igen/", views.resend, name="resend"),
    path("<id:assessment_id>/bedom/", views.complete, name="complete"),
    path("bedom/<str:token>/", views.assess, name="assess"),
]
