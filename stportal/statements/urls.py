from django.urls import path

from stportal.statements import views

app_name = "statements"

urlpatterns = [
    path("", views.index, name="index"),
    path("granska/", views.review_list, name="review_list"),
    path("ny/<id:trainee_id>/", views.new, name="new"),
    path("<id:statement_id>/", views.detail, name="detail"),
    path("<id:statement_id>/granska/", views.review, name="review"),
    path("<id:statement_id>/jamfor/", views.compare_versions, name="compare"),
]
