"""The person's own account pages, mounted at /konto/."""

from django.urls import path

from stportal.accounts import views

app_name = "accounts"
urlpatterns = [
    path("api-nycklar/", views.api_tokens, name="api_tokens"),
    path(
        "api-nycklar/<id:token_id>/aterkalla/",
        views.revoke_api_token,
        name="revoke_api_token",
    ),
]
