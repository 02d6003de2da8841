import contextlib
import uuid

import pytest

from core.roles import Role
from core.testing import RealWorkers, api_client, make_staff
from estates.tests.factories import CompanyFactory, ProjectFactory


@pytest.fixture(autouse=True)
def reads_from_the_primary(settings):
    """Tests read the primary: a test that may query the replica says so (core/tests/test_replica.py), as
    Django refuses queries to a database a test did not declare."""
    settings.READ_REPLICA = None


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def home_figures_counted_on_every_view(settings):
    """A test sees the figures of the data it made; keeping them is tested on its own (vanke_crm/tests)."""
    settings.HOME_FIGURES_SECONDS = 0


@pytest.fixture(autouse=True)
def cache_of_its_own(settings):
    """Each test starts with an empty cache: its own key prefix in the shared store (a rolled-back test
    database hands out the same ids again, so keys built from ids would otherwise meet an earlier test's)."""
    settings.CACHES = {
        name: {**options, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"} for name, options in settings.CACHES.items()
    }


@pytest.fixture
def company(db):
    return CompanyFactory()


@pytest.fixture
def project(company):
    return ProjectFactory(company=company)


@pytest.fixture
def other_project(company):
    return ProjectFactory(company=company)


@pytest.fixture
def staff(project):
    """One member of staff per role, attached to `project`; the sales team reports upwards."""
    manager = make_staff(Role.SALES_MANAGER, projects=[project], username="manager")
    supervisor = make_staff(Role.SALES_SUPERVISOR, projects=[project], reports_to=manager, username="supervisor")
    leader = make_staff(Role.TEAM_LEADER, projects=[project], reports_to=supervisor, username="leader")
    people = {
        Role.SALES_MANAGER: manager,
        Role.SALES_SUPERVISOR: supervisor,
        Role.TEAM_LEADER: leader,
        Role.CONSULTANT: make_staff(Role.CONSULTANT, projects=[project], reports_to=leader, username="consultant"),
    }
    for role in set(Role) - set(people):
        people[role] = make_staff(role, projects=[project], username=role.value)
    return people


@pytest.fixture
def real_workers(tmp_path):
    """Start, kill and restart real `celery worker` processes (Redis and PostgreSQL only, else skipped)."""
    from vanke_crm.celery import app

    workers = RealWorkers(tmp_path)
    app.control.purge()
    yield workers
    workers.stop_all()


@pytest.fixture
def client_for(db):
    return api_client


@pytest.fixture
def browser(client):
    """A dashboard client signed in as the given user: browser(user).get("/…")."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def chromium_page(live_server, monkeypatch):
    """A real Chromium page; the test is skipped, saying why, where Chromium is not installed."""
    from core.browser import chromium_page as open_page, chromium_path

    if chromium_path() is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); browser tests need it.")
    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls are in another.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with open_page(viewport={"width": 1280, "height": 900}) as page:
        page.set_default_timeout(20_000)
        yield page


@pytest.fixture
def celery_eager():
    """Tasks queued with .delay() run at once in this process, their errors raised in the test."""
    from vanke_crm.celery import app

    before = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what the code under test leaves for after the commit, as the end of a real request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, whose teardown first ends the sessions other threads left open (a live
    server's or an in-process worker's): PostgreSQL drops no database somebody is still connected to."""
    yield
    with django_db_blocker.unblock():
        from django.db import connections

        ours = connections["default"]
        if ours.vendor == "postgresql":
            with ours.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        # the replica alias mirrors the test database over a connection of its own, now ended
        for alias in connections:
            if alias != "default":
                with contextlib.suppress(Exception):
                    connections[alias].close()
