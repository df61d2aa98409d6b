"""The course administration pages, mounted at /kursadmin/ (SPEC 2, C4–C22)."""

from django.urls import path

from stportal.registrations import lodging_views
from stportal.registrations import staff_views as views

app_name = "staff"
urlpatterns = [
    path("", views.weeks, name="weeks"),
    path("veckor/<id:week_id>/", views.week_detail, name="week"),
    path("veckor/<id:week_id>/publicera/", views.publish, name="publish"),
    path("veckor/<id:week_id>/fordelning/", views.allocate, name="allocate"),
    path("veckor/<id:week_id>/anmal/", views.register_on_behalf, name="register_on_behalf"),
    path("veckor/<id:week_id>/anmalningar/", views.week_registrations, name="registrations"),
    path("veckor/<id:week_id>/deltagare/", views.participants, name="participants"),
    path("veckor/<id:week_id>/reservlista/", views.waiting, name="waiting"),
    path("veckor/<id:week_id>/logi/", lodging_views.lodging, name="lodging"),
    path(
        "veckor/<id:week_id>/logi/<id:registration_id>/",
        lodging_views.lodging_nights,
        name="lodging_nights",
    ),
    path("kurser/<id:course_id>/kapacitet/", views.capacity, name="capacity"),
    path("anmalningar/<id:registration_id>/", views.registration_detail, name="registration"),
    path("anmalningar/<id:registration_id>/avboka/", views.cancel, name="cancel"),
    path("anmalningar/<id:registration_id>/efterskank/", views.waive, name="waive"),
    path("avgifter/", views.fees, name="fees"),
    path("information/", views.information_edit, name="info_edit"),
    path("utskick/", views.outbox, name="outbox"),
    path("utskick/forsok-igen/", views.outbox_retry, name="outbox_retry"),
    path("enhet/", views.unit, name="unit"),
]
