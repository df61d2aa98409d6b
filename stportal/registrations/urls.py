from django.urls import path

from stportal.registrations import views

app_name = "registrations"
urlpatterns = [
    path("kurser/<int:week_id>/anmalan/", views.register, name="register"),
    path("mina-anmalningar/", views.mine, name="mine"),
    path("mina-anmalningar/kalender.ics", views.calendar_file, name="calendar"),
    path("anmalningar/<int:registration_id>/", views.detail, name="detail"),
    path("anmalningar/<int:registration_id>/andra/", views.edit, name="edit"),
    path("anmalningar/<int:registration_id>/avboka/", views.cancel, name="cancel"),
    path(
        "anmalningar/<int:registration_id>/erbjudande/<int:course_id>/ja/",
        views.accept_offer,
        name="accept",
    ),
    path(
        "anmalningar/<int:registration_id>/erbjudande/<int:course_id>/nej/",
        views.decline_offer,
        name="decline",
    ),
]
