"""Course certificates (C18, C18a, C19), mounted at /intyg/: the public verification page and
the logged-in pages."""

from django.urls import path

from stportal.certificates import form_pages, pages, replacement_pages, views

app_name = "certificates"
urlpatterns = [
    path("verifiera/<str:code>/", views.verify, name="verify"),
    path("mina/", pages.mine, name="mine"),
    path("mina/<id:certificate_id>/kopia.pdf", pages.copy_pdf, name="copy_pdf"),
    path(
        "mina/<id:certificate_id>/nytt-original/",
        replacement_pages.request_replacement,
        name="request_replacement",
    ),
    path("begaran/", replacement_pages.replacement_requests, name="replacement_requests"),
    path(
        "begaran/<id:request_id>/nytt-original/",
        replacement_pages.reissue_on_request,
        name="replacement_reissue",
    ),
    path(
        "begaran/<id:request_id>/avsla/",
        replacement_pages.decline_request,
        name="replacement_decline",
    ),
    path("kurser/<id:course_id>/", pages.course, name="course"),
    path("kurser/<id:course_id>/utfarda/", pages.issue, name="issue"),
    path("omgangar/", pages.batches, name="batches"),
    path("omgangar/<id:batch_id>/", pages.batch, name="batch"),
    path("omgangar/<id:batch_id>/lage/", pages.batch_state, name="batch_state"),
    path("omgangar/<id:batch_id>/intyg.pdf", pages.batch_pdf, name="batch_pdf"),
    path("blanketter/", form_pages.certificate_forms, name="forms"),
    path("<id:certificate_id>/", pages.certificate, name="certificate"),
    path("<id:certificate_id>/lage/", pages.certificate_state, name="certificate_state"),
    path("<id:certificate_id>/nytt-original/", pages.reissue, name="reissue"),
    path("<id:certificate_id>/aterkalla/", pages.revoke, name="revoke"),
    path("<id:certificate_id>/original.pdf", pages.original_pdf, name="original_pdf"),
]
