"""The course leader's register pages (C17), mounted at /narvaro/."""

from django.urls import path

from stportal.attendance import views

app_name = "attendance"
urlpatterns = [
    path("", views.courses, name="courses"),
    path("kurser/<int:course_id>/", views.register, name="register"),
    path("kurser/<int:course_id>/dag/<str:day>/", views.record_day, name="record_day"),
    path(
        "kurser/<int:course_id>/deltagare/<int:registration_id>/resultat/",
        views.result,
        name="result",
    ),
    path("kurser/<int:course_id>/stang/", views.close, name="close"),
    path("kurser/<int:course_id>/oppna-igen/", views.reopen, name="reopen"),
]
