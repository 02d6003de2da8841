"""Test helpers every app's tests share: staff with roles, API clients, and the resource contract."""

from __future__ import annotations

import itertools

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken
from rest_framework.test import APIClient

from core.models import User
from core.roles import COMPANY_WIDE, Role
from core.services import set_roles

_numbers = itertools.count(1)


def make_staff(*roles: Role, projects=(), reports_to=None, username: str | None = None, **fields) -> User:
    user = User.objects.create_user(
        username=username or f"staff-{next(_numbers)}",
        password="pw-for-tests-1",  # noqa: S106
        reports_to=reports_to,
        **fields,
    )
    set_roles(user=user, roles=set(roles))
    for project in projects:
        project.staff.add(user)
    return user


def api_client(user: User | None = None) -> APIClient:
    """A tablet's client: signed in with a real token, as the tablets are."""
    client = APIClient()
    if user is not None:
        _, token = AuthToken.objects.create(user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def count_queries(callable_) -> int:
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context.captured_queries)


class ResourceContract:
    """The checks every API resource owes its users; a concrete test class fills in the blanks.

    url: the list endpoint. reader / writer / refused: roles that may read, may write, may not read.
    make(project) creates a visible record in `project`; create_data(project) is a valid POST body.
    A check that does not apply to a resource is skipped with the reason, never passed silently:
    `project_scoped = False` for company-wide records, `creates_anywhere` says why the writer may
    create outside their projects.
    """

    url: str
    reader: Role
    writer: Role
    refused: Role | None = None
    project_scoped = True
    creates_anywhere = ""

    def make(self, project):
        raise NotImplementedError

    def create_data(self, project) -> dict:
        raise NotImplementedError

    def detail(self, record) -> str:
        return f"{self.url}{record.pk}/"

    def test_reader_lists_and_reads(self, project, staff):
        record = self.make(project)
        client = api_client(staff[self.reader])

        listed = client.get(self.url)
        assert listed.status_code == 200
        assert record.pk in [row["id"] for row in listed.json()["results"]]
        assert client.get(self.detail(record)).status_code == 200

    def test_refused_role_gets_403(self, project, staff):
        if self.refused is None:
            pytest.skip("every staff role may read this resource")
        self.make(project)
        assert api_client(staff[self.refused]).get(self.url).status_code == 403

    def test_records_of_other_projects_are_invisible(self, project, other_project, staff):
        if not self.project_scoped:
            pytest.skip("a company-wide resource: its records belong to no project")
        elsewhere = self.make(other_project)
        client = api_client(staff[self.reader])

        assert elsewhere.pk not in [row["id"] for row in client.get(self.url).json()["results"]]
        assert client.get(self.detail(elsewhere)).status_code == 404

    def test_writer_creates(self, project, staff):
        response = api_client(staff[self.writer]).post(self.url, self.create_data(project), format="json")
        assert response.status_code == 201, response.json()

    def test_reader_without_write_role_cannot_create(self, project, staff):
        if self.reader == self.writer:
            pytest.skip(f"the reading role ({self.reader.label}) is also the writing role")
        response = api_client(staff[self.reader]).post(self.url, self.create_data(project), format="json")
        assert response.status_code == 403

    def test_writer_cannot_create_in_a_project_they_do_not_work_on(self, project, other_project, staff):
        if not self.project_scoped:
            pytest.skip("a company-wide resource: its records belong to no project")
        if self.creates_anywhere:
            pytest.skip(self.creates_anywhere)
        writer = staff[self.writer]
        if writer.has_role(*COMPANY_WIDE):
            pytest.skip(f"the writing role ({self.writer.label}) acts on every project")
        response = api_client(writer).post(self.url, self.create_data(other_project), format="json")
        assert response.status_code == 403

    def test_list_query_count_does_not_grow_with_page_size(self, project, staff):
        client = api_client(staff[self.reader])
        self.make(project)
        few = count_queries(lambda: client.get(self.url))
        for _ in range(6):
            self.make(project)
        many = count_queries(lambda: client.get(self.url))
        assert many == few


def database_url(name: str) -> str:
    """A DATABASE_URL for database `name` on the configured PostgreSQL server (for a subprocess or a restore)."""
    from django.db import connection

    db = connection.settings_dict
    credentials = f"{db['USER']}:{db['PASSWORD'] or ''}@" if db.get("USER") else ""
    return f"postgres://{credentials}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
