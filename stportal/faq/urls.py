from django.urls import path

from stportal.faq import views

app_name = "faq"

urlpatterns = [
    path("", views.questions, name="questions"),
    path("hantera/", views.manage, name="manage"),
    path("ny/", views.create, name="create"),
    path("<id:question_id>/andra/", views.edit, name="edit"),
    path("<id:question_id>/ta-bort/", views.remove, name="remove"),
]
