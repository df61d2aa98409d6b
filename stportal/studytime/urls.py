"""Study time (SPEC 5 P6), mounted at /studietid/."""

from django.urls import path

from stportal.studytime import views

app_name = "studytime"

urlpatterns = [
    path("", views.index, name="index"),
    path("st-lakare/<id:trainee_id>/", views.trainee, name="trainee"),
    path("post/<id:entry_id>/ta-bort/", views.remove, name="remove"),
]
