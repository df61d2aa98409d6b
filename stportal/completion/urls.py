"""Specialist application (SPEC 5 P14), mounted at /specialistansokan/."""

from django.urls import path

from stportal.completion import views

app_name = "completion"

urlpatterns = [
    path("st-lakare/<id:trainee_id>/", views.pack, name="pack"),
    path("st-lakare/<id:trainee_id>/intyg/", views.summary, name="summary"),
    path("st-lakare/<id:trainee_id>/bilagor.pdf", views.attachment_list, name="list_pdf"),
    path("st-lakare/<id:trainee_id>/ansokan.pdf", views.pack_pdf, name="pack_pdf"),
    path("blanketter/", views.application_forms, name="forms"),
]
