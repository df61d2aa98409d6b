"""The course leader's register pages (C17), mounted at /narvaro/."""

from django.urls import path

from stportal.attendance import views

app_name = "attendance"
urlpatterns = [
    path("", views.courses, name="courses"),
    path("kurser/<id:course_id>/", views.register, name="register"),
    path("kurser/<id:course_id>/dag/<str:day>/", views.record_day, name="record_day"),
    path(
        "kurser/<id:course_id>/deltagare/<id:registration_id>/resultat/",
        views.result,
        name="result",
    ),
    path("kurser/<id:course_id>/stang/", views.close, name="close"),
    path("kurser/<id:course_id>/oppna-igen/", views.reopen, name="reopen"),
]
