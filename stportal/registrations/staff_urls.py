"""The course administration pages, mounted at /kursadmin/ (SPEC 2, C4–C22)."""

from django.urls import path

from stportal.registrations import staff_views as views

app_name = "staff"
urlpatterns = [
    path("", views.weeks, name="weeks"),
    path("veckor/<int:week_id>/", views.week_detail, name="week"),
    path("veckor/<int:week_id>/publicera/", views.publish, name="publish"),
    path("veckor/<int:week_id>/fordelning/", views.allocate, name="allocate"),
    path("veckor/<int:week_id>/anmal/", views.register_on_behalf, name="register_on_behalf"),
    path("veckor/<int:week_id>/anmalningar/", views.week_registrations, name="registrations"),
    path("veckor/<int:week_id>/deltagare/", views.participants, name="participants"),
    path("veckor/<int:week_id>/reservlista/", views.waiting, name="waiting"),
    path("veckor/<int:week_id>/logi/", views.lodging, name="lodging"),
    path("kurser/<int:course_id>/kapacitet/", views.capacity, name="capacity"),
    path("anmalningar/<int:registration_id>/", views.registration_detail, name="registration"),
    path("anmalningar/<int:registration_id>/avboka/", views.cancel, name="cancel"),
    path("anmalningar/<int:registration_id>/efterskank/", views.waive, name="waive"),
    path("avgifter/", views.fees, name="fees"),
    path("information/", views.information_edit, name="info_edit"),
    path("utskick/", views.outbox, name="outbox"),
    path("utskick/forsok-igen/", views.outbox_retry, name="outbox_retry"),
    path("enhet/", views.unit, name="unit"),
]
