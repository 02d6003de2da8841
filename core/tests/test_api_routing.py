"""Each app's API routes are tried only for the paths that start as they do, and every route still answers."""

import re

from django.urls import resolve
from drf_spectacular.generators import EndpointEnumerator

from core.api import errors as api_errors
from core.api.routing import AppRoutes


def test_every_endpoint_of_the_schema_resolves_to_its_own_view():
    endpoints = EndpointEnumerator().get_api_endpoints()
    assert len(endpoints) > 100
    for path, _regex, _method, view in endpoints:
        match = resolve(re.sub(r"\{[^}]+\}", "1", path))
        assert getattr(match.func, "cls", match.func) is getattr(view, "cls", view), path


def test_a_path_of_one_app_is_not_tried_against_the_routes_of_the_others():
    # The surveys come fifth: before, their paths were tried against every route of the four apps before them.
    tried = resolve("/api/v1/survey-campaigns/").tried
    assert len(tried) < 20
    assert resolve("/api/v1/survey-campaigns/").url_name == "campaign-list"
    assert resolve("/api/v1/surveys.json").url_name == "questionnaire-list"
    assert resolve("/api/v1/.json").url_name == "api-root"
    assert resolve("/api/v1/reports/loyalty/").url_name == "report-loyalty"


def test_an_app_whose_route_does_not_start_plainly_is_tried_for_every_path(tmp_path, monkeypatch):
    module = tmp_path / "odd_api_urls.py"
    module.write_text(
        "from django.urls import re_path\n"
        "from core.api import errors\n"
        "urlpatterns = [re_path(r'^(?P<kind>[a-z]+)-list/$', errors.not_found, name='odd')]\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    odd = AppRoutes("odd_api_urls")
    assert odd.first_segments is None
    assert odd.resolve("anything-list/").func is api_errors.not_found

    plain = AppRoutes("surveys.api.urls")
    assert "survey-campaigns" in plain.first_segments and "" in plain.first_segments
