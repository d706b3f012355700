"""The OpenAPI schema generates cleanly and its docs page works without any CDN."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.plumbing import _load_enum_name_overrides

pytestmark = pytest.mark.django_db

EXTERNAL_URL = re.compile(r"""(?:src|href)=["'](?:https?:)?//""")


@pytest.fixture
def api_docs_settings():
    _load_enum_name_overrides.cache_clear()  # drf-spectacular caches the overrides per language
    yield
    _load_enum_name_overrides.cache_clear()


def test_schema_validates_without_warnings(api_docs_settings, tmp_path):
    # --fail-on-warn turns every drf-spectacular warning (untyped field, enum clash,
    # unresolvable path parameter…) into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    for path in ("/api/tickets/{id}/assign/", "/api/tickets/{id}/comments/", "/api/queues/", "/api/categories/"):
        assert f"  {path}:" in schema


def test_schema_endpoint_answers(api_docs_settings, client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"get", "post"} <= set(paths["/api/tickets/"])
    assert "patch" in paths["/api/tickets/{id}/"]
    assert "put" not in paths["/api/tickets/{id}/"]
    assert "delete" not in paths["/api/tickets/{id}/"]


def test_docs_page_loads_swagger_ui_from_our_own_static_files(api_docs_settings, client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert not EXTERNAL_URL.search(html), "the docs page must not load anything from another host"
    assets = re.findall(r"""(?:src|href)="/static/([^"]+)\"""", html)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    for asset in assets:
        assert finders.find(asset), f"{asset} is not among the static files"
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/LICENSE")
