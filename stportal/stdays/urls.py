"""ST-day certificates (SPEC 5 P4), mounted at /st-dagar/."""

from django.urls import path

from stportal.stdays import views

app_name = "stdays"

urlpatterns = [
    path("", views.index, name="index"),
    path("st-lakare/<id:trainee_id>/", views.trainee, name="trainee"),
    path("st-lakare/<id:trainee_id>/ny/", views.record, name="record"),
    path("intyg/<id:certificate_id>.pdf", views.certificate_pdf, name="pdf"),
    path("intyg/<id:certificate_id>/aterkalla/", views.revoke, name="revoke"),
    path("verifiera/<str:code>/", views.verify, name="verify"),
]
