from django.urls import path

from stportal.certificates import views

app_name = "certificates"
urlpatterns = [
    path("verifiera/<str:code>/", views.verify, name="verify"),
]
