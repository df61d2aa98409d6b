"""Education plan and timeline (SPEC 5 P11), mounted at /utbildningsplan/."""

from django.urls import path

from stportal.plan import views

app_name = "plan"

urlpatterns = [
    path("", views.index, name="index"),
    path("st-lakare/<id:trainee_id>/", views.trainee, name="trainee"),
    path("st-lakare/<id:trainee_id>/ny/", views.new_item, name="new"),
    path("st-lakare/<id:trainee_id>/tidslinje/", views.timeline, name="timeline"),
    path("post/<id:item_id>/andra/", views.edit_item, name="edit"),
    path("post/<id:item_id>/ta-bort/", views.delete_item, name="delete"),
    path("post/<id:item_id>/intyg/", views.attach_certificate, name="attach"),
    path("post/<id:item_id>/intyg/ta-bort/", views.remove_certificate, name="remove_certificate"),
    path("post/<id:item_id>/intyg.pdf", views.certificate_pdf, name="certificate"),
]
