from django.urls import path

from stportal.registrations import views

app_name = "registrations"
urlpatterns = [
    path("kurser/<id:week_id>/anmalan/", views.register, name="register"),
    path("mina-anmalningar/", views.mine, name="mine"),
    path("mina-anmalningar/kalender.ics", views.calendar_file, name="calendar"),
    path("anmalningar/<id:registration_id>/", views.detail, name="detail"),
    path("anmalningar/<id:registration_id>/andra/", views.edit, name="edit"),
    path("anmalningar/<id:registration_id>/avboka/", views.cancel, name="cancel"),
    path(
        "anmalningar/<id:registration_id>/erbjudande/<id:course_id>/ja/",
        views.accept_offer,
        name="accept",
    ),
    path(
        "anmalningar/<id:registration_id>/erbjudande/<id:course_id>/nej/",
        views.decline_offer,
        name="decline",
    ),
]
