"""SPEC 6: OpenAPI 3 schema at /api/v1/openapi.json and browsable docs at /api/v1/docs."""

from __future__ import annotations

APPENDIX_A_PATHS = {
    "/api/v1/me": {"get"},
    "/api/v1/course-series": {"get"},
    "/api/v1/home-units": {"get", "post"},
    "/api/v1/trainees": {"get", "post"},
    "/api/v1/trainees/{trainee_id}": {"get"},
    "/api/v1/course-weeks": {"get", "post"},
    "/api/v1/course-weeks/{week_id}": {"get", "patch"},
    "/api/v1/course-weeks/{week_id}/publish": {"post"},
    "/api/v1/course-weeks/{week_id}/cancel": {"post"},
    "/api/v1/course-weeks/{week_id}/courses": {"post"},
}


def test_openapi_schema_is_served_without_logging_in(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path, methods in APPENDIX_A_PATHS.items():
        assert methods <= set(schema["paths"][path]), path


def test_every_operation_documents_the_error_body_and_both_ways_to_log_in(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert set(schema["components"]["schemas"]["ErrorOut"]["properties"]) == {
        "code",
        "message",
        "fields",
    }
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}
    for operations in schema["paths"].values():
        for operation in operations.values():
            assert "default" in operation["responses"]
            assert len(operation["security"]) == 2


def test_docs_are_served(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_api_root_points_to_the_schema_and_the_docs(client, db):
    body = client.get("/api/v1/").json()
    assert body == {"openapi": "/api/v1/openapi.json", "docs": "/api/v1/docs"}
