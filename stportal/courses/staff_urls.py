"""The staff's course pages, mounted at /kursadmin/ next to the course administration."""

from django.urls import path

from stportal.courses import staff_views as views

app_name = "course_staff"
urlpatterns = [
    path("kurser/<id:course_id>/andra/", views.course_edit, name="edit"),
    path("kurser/<id:course_id>/ta-bort/", views.course_remove, name="remove"),
]
