"""The person's own account pages and the planned completion pages, mounted at /konto/."""

from django.urls import path

from stportal.accounts import completion_views, views

app_name = "accounts"
urlpatterns = [
    path("api-nycklar/", views.api_tokens, name="api_tokens"),
    path(
        "api-nycklar/<id:token_id>/aterkalla/",
        views.revoke_api_token,
        name="revoke_api_token",
    ),
    path("mina-personuppgifter/", views.my_personal_data, name="my_personal_data"),
    path("region/", views.switch_region, name="switch_region"),
    path(
        "st-lakare/<id:trainee_id>/personuppgifter/",
        views.trainee_personal_data,
        name="trainee_personal_data",
    ),
    # Planned ST completion (C5a)
    path("min-st/", completion_views.my_st, name="my_st"),
    path("planerat-slutdatum/", completion_views.completion_proposals, name="completion_proposals"),
    path(
        "planerat-slutdatum/<id:change_id>/beslut/",
        completion_views.decide_completion,
        name="decide_completion",
    ),
    path("st-lakare/", completion_views.trainees, name="trainees"),
    path("st-lakare/import/", completion_views.import_trainees, name="import_trainees"),
    path("st-lakare/<id:trainee_id>/", completion_views.trainee, name="trainee"),
]
