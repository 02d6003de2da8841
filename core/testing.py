"""Test helpers every app's tests share: staff with roles, API clients, and the resource contract."""

from __future__ import annotations

import importlib
import itertools
import os
import signal
import subprocess
import sys
import time

import pytest

from django.apps import apps
from django.conf import settings
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
        client = api_client(staff[self.writer])
        response = client.post(self.url, self.create_data(project), format="json")
        assert response.status_code == 201, response.json()
        created = response.json()
        read = client.get(f"{self.url}{created['id']}/").json()
        assert created == {name: read[name] for name in created}, "the answer differs from the record as read"
        assert set(read) <= set(created), f"the answer lacks {sorted(set(read) - set(created))}"

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


FORM_MODULES = ("forms", "inputs", "calls", "filters")


def form_modules():
    """The modules of our apps that declare forms and filters."""
    for config in apps.get_app_configs():
        if not str(config.path).startswith(str(settings.BASE_DIR)) or ".venv" in str(config.path):
            continue
        for name in FORM_MODULES:
            try:
                yield importlib.import_module(f"{config.name}.{name}")
            except ModuleNotFoundError:
                continue


def classes_defined_in(module, base):
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, base) and value.__module__ == module.__name__:
            yield value


def database_url(name: str) -> str:
    """A DATABASE_URL for database `name` on the configured PostgreSQL server (for a subprocess or a restore)."""
    from django.db import connection

    db = connection.settings_dict
    credentials = f"{db['USER']}:{db['PASSWORD'] or ''}@" if db.get("USER") else ""
    return f"postgres://{credentials}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


# --- real workers, killed and restarted --------------------------------------------------------------

_WORKER = """
import sys
from vanke_crm.celery import app
app.conf.broker_transport_options.update(visibility_timeout=int(sys.argv[1]), unacked_restore_interval=1,
                                         unacked_restore_throttle=1)
app.worker_main(["worker", "--pool", "solo", "--loglevel", "WARNING", "--without-heartbeat",
                 "--without-gossip", "--without-mingle"])
"""


def wait_until(condition, *, seconds=90, what=""):
    """Poll `condition` until it holds; fail the test, saying what it waited for, after `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


class RealWorkers:
    """`celery worker` processes on Redis and the PostgreSQL test database, for the worker-crash tests.

    A worker started with a long visibility timeout keeps a task it dies holding; one restarted with a
    short one has Redis hand that unacknowledged task back to it (tasks are acknowledged late).
    """

    def __init__(self, folder):
        from django.conf import settings

        if not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
            pytest.skip(
                "a worker-crash test needs CELERY_BROKER_URL on Redis (the filesystem broker has no visibility timeout)"
            )
        if connection.vendor != "postgresql":
            pytest.skip(
                "a worker-crash test needs DATABASE_URL on PostgreSQL: the worker process must open the test database"
            )
        self.folder = folder
        self.settings = settings
        self.processes = []

    def start(self, *, visibility_timeout: int, **environment):
        env = {
            **os.environ,
            "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
            "CELERY_BROKER_URL": self.settings.CELERY_BROKER_URL,
            "CELERY_RESULT_BACKEND": self.settings.CELERY_RESULT_BACKEND,
            "MEDIA_ROOT": str(self.settings.MEDIA_ROOT),
            "DJANGO_SETTINGS_MODULE": "vanke_crm.settings",
            **environment,
        }
        log = open(self.folder / f"worker-{len(self.processes)}.log", "w")  # noqa: SIM115 - the worker writes it
        process = subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(visibility_timeout)],
            cwd=self.settings.BASE_DIR,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        self.processes.append(process)
        return process

    @staticmethod
    def kill(process) -> None:
        """SIGKILL: the worker dies at once, with no chance to acknowledge, roll back or clean up."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def crash_at(self, model, pk, *, start, what: str) -> None:
        """Kill a worker part-way through a task: with row `pk` of `model` held by another transaction, start a
        worker, call `start()` (which queues the task), wait until the task waits at that row, SIGKILL the
        worker there and release the row. A worker started next is handed the unacknowledged task."""
        held = HeldRowLock(model, pk)
        try:
            worker = self.start(visibility_timeout=3600)
            start()
            wait_until(held.someone_waits, what=what)
            self.kill(worker)
        finally:
            held.release()

    def stop_all(self) -> None:
        for process in self.processes:
            stop_process(process)


def stop_process(process) -> None:
    """SIGTERM a process group started with start_new_session; SIGKILL it if it has not ended in 30 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class HeldRowLock:
    """A row locked FOR UPDATE from a connection of its own, as another transaction would hold it.

    A worker that comes to that row (to lock it, or to insert a row that refers to it) waits there,
    part-way through its task: the moment a crash test kills it.
    """

    def __init__(self, model, pk):
        from django.db import connections

        self.connection = connections.create_connection("default")
        self.connection.set_autocommit(False)
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {model._meta.db_table} WHERE id = %s FOR UPDATE", [pk])  # noqa: S608
            cursor.execute("SELECT pg_backend_pid()")
            (self.holder,) = cursor.fetchone()

    def someone_waits(self) -> bool:
        """Whether another session waits for this lock (the worker, at the held row), not for any other."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))", [self.holder])
            return cursor.fetchone()[0] > 0

    def release(self) -> None:
        self.connection.rollback()
        self.connection.close()
