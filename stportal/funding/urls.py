from django.urls import path

from stportal.funding import views

app_name = "funding"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("ny/", views.new_application, name="new"),
    path("beslut/", views.to_decide, name="to_decide"),
    path("utgifter/", views.spending, name="spending"),
    path("<id:application_id>/", views.detail, name="detail"),
    path("<id:application_id>/beslut/", views.decide, name="decide"),
    path("<id:application_id>/intyg/", views.attach_certificate, name="attach_certificate"),
    path("<id:application_id>/intyg.pdf", views.certificate_pdf, name="certificate_pdf"),
]
