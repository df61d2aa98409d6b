"""Secondments, training allowance and credited service (SPEC 5 P7–P9), mounted at
/sidotjanstgoring/."""

from django.urls import path

from stportal.secondments import views

app_name = "secondments"

urlpatterns = [
    path("", views.index, name="index"),
    path("st-lakare/<id:trainee_id>/", views.trainee, name="trainee"),
    path("st-lakare/<id:trainee_id>/ny/", views.plan, name="plan"),
    path("st-lakare/<id:trainee_id>/st-ersattning/", views.record_allowance, name="allowance"),
    path("st-lakare/<id:trainee_id>/tillgodoraknande/", views.credit, name="credit"),
    path("<id:secondment_id>/andra/", views.change, name="change"),
    path("<id:secondment_id>/ta-bort/", views.remove, name="remove"),
    path("tillgodoraknande/<id:credit_id>/aterkalla/", views.withdraw, name="withdraw"),
]
