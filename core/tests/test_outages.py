"""Outages: Redis or the database going away while the dashboard and the API are in use.

With Redis stopped a live server keeps answering (the cache falls back) and work for the workers is
kept in the database, then handed to Celery once Redis is back, and done. With the database
connection killed in the middle of a request, the request answers 503, nothing is half-written and
the next request is served without a restart.
"""

import datetime
import io
import os
import select
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import redis
import requests
import time_machine
from django.conf import settings
from django.db import connection
from django.db.models.signals import post_save
from django.utils import timezone
from knox.models import AuthToken

from core.dispatch import hand_over_waiting_tasks
from core.models import QueuedTask
from core.roles import Role
from core.testing import api_client, database_url, make_staff, stop_process, wait_until
from members.models import Customer
from members.tests.factories import CustomerFactory
from touchpoints.choices import MessageStatus
from touchpoints.models import OutboundMessage

BASE_DIR = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Processes:
    """Child processes of one test, each in its own session so that it can be stopped whole."""

    def __init__(self, folder: Path):
        self.folder, self.started = folder, []

    def start(self, name, command, **env):
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env={**os.environ, **env},
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=self.folder.joinpath(f"{name}-{len(self.started)}.log").open("w"),
        )
        self.started.append(process)
        return process

    stop = staticmethod(stop_process)

    def stop_all(self):
        for process in self.started:
            self.stop(process)


@pytest.fixture
def processes(tmp_path):
    started = Processes(tmp_path)
    yield started
    started.stop_all()


def needs_postgresql(why: str):
    if connection.vendor != "postgresql":
        pytest.skip(f"needs DATABASE_URL on PostgreSQL: {why}")


# --- Redis -------------------------------------------------------------------------------------------


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_redis_stopped_the_api_keeps_serving_and_the_work_is_done_once_redis_is_back(processes, project, tmp_path):
    needs_postgresql("the live server and the worker are other processes that must open the test database")
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed: the test stops and starts a Redis of its own")

    port = free_port()
    redis_url = f"redis://127.0.0.1:{port}/0"
    store = redis.Redis.from_url(redis_url)

    def start_redis():
        processes.start("redis", ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"])
        wait_until(lambda: _answers(store), what="Redis to start")

    env = {
        "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_SETTINGS_MODULE": "vanke_crm.settings",
    }
    start_redis()
    server_port = free_port()
    base = f"http://127.0.0.1:{server_port}"
    processes.start(
        "server",
        [sys.executable, "-m", "gunicorn", "vanke_crm.wsgi", "-b", f"127.0.0.1:{server_port}", "-w", "2"],
        **env,
    )
    wait_until(lambda: _get(f"{base}/healthz/") is not None, what="the server to start")

    service = make_staff(Role.CUSTOMER_SERVICE, projects=[project])
    _, token = AuthToken.objects.create(service)
    headers = {"Authorization": f"Token {token}"}
    customer = CustomerFactory(project=project, consents_to_messages=True)

    processes.stop(processes.started[0])  # Redis goes away
    assert not _answers(store)

    listed = requests.get(f"{base}/api/v1/customers/", headers=headers, timeout=30)
    assert listed.status_code == 200 and listed.json()["count"] == 1
    written = requests.post(
        f"{base}/api/v1/messages/",
        json={"customer": customer.pk, "body": "您的报修已安排，师傅明天上午到访。"},
        headers=headers,
        timeout=30,
    )
    assert written.status_code == 201, written.text
    message = OutboundMessage.objects.get(pk=written.json()["id"])
    assert message.status == MessageStatus.QUEUED
    assert list(QueuedTask.objects.values_list("task", "args")) == [("touchpoints.send_message", [message.pk])]

    start_redis()  # back, empty: nothing reached it while it was down
    worker = [sys.executable, "-m", "celery", "-A", "vanke_crm", "worker", "--pool", "solo", "--loglevel", "WARNING"]
    processes.start("worker", worker, **env)
    sweep = "import datetime, django; django.setup(); from core import dispatch; "
    sweep += "dispatch.hand_over_waiting_tasks(older_than=datetime.timedelta(0))"
    subprocess.run([sys.executable, "-c", sweep], cwd=BASE_DIR, env={**os.environ, **env}, check=True)

    wait_until(
        lambda: OutboundMessage.objects.filter(pk=message.pk, status=MessageStatus.SENT).exists(),
        what="the kept message to be sent",
    )
    assert not QueuedTask.objects.exists()
    assert OutboundMessage.objects.filter(customer=customer).count() == 1


def _answers(store) -> bool:
    try:
        return store.ping()
    except redis.ConnectionError:
        return False


def _get(url):
    try:
        return requests.get(url, timeout=5)
    except requests.RequestException:
        return None


# --- the sweeper -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweeper_hands_over_only_what_its_commit_did_not(celery_eager, project):
    customer = CustomerFactory(project=project, consents_to_messages=True)
    kept, fresh = (
        OutboundMessage.objects.create(
            customer=customer, project=project, purpose="manual", dedupe_key=key, body="x", send_after=timezone.now()
        )
        for key in ("kept", "fresh")
    )
    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=5)):
        QueuedTask.objects.create(task="touchpoints.send_message", args=[kept.pk])
    QueuedTask.objects.create(task="touchpoints.send_message", args=[fresh.pk])  # its own commit is handing it over

    assert hand_over_waiting_tasks() == {"sent": 1, "waiting": 1}

    kept.refresh_from_db(), fresh.refresh_from_db()
    assert kept.status == MessageStatus.SENT and fresh.status == MessageStatus.QUEUED
    assert list(QueuedTask.objects.values_list("args", flat=True)) == [[fresh.pk]]


# --- the database ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_request_whose_database_connection_dies_answers_503_and_saves_nothing(project):
    needs_postgresql("it ends the request's own server connection with pg_terminate_backend")
    consultant = make_staff(Role.CONSULTANT, projects=[project])
    client = api_client(consultant)
    admin_url = database_url("postgres")

    def connection_dies(sender, instance, created, **kwargs):
        if created:
            with psycopg.connect(admin_url, autocommit=True) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])

    post_save.connect(connection_dies, sender=Customer)
    try:
        answer = client.post(
            "/api/v1/customers/", {"name": "林女士", "mobile": "13911112222", "project": project.pk}, format="json"
        )
    finally:
        post_save.disconnect(connection_dies, sender=Customer)

    assert answer.status_code == 503
    assert answer.json()["code"] == "service_unavailable" and answer["Retry-After"]
    following = client.get("/api/v1/customers/")
    assert following.status_code == 200 and following.json()["count"] == 0
    assert not Customer.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_dashboard_page_whose_database_connection_dies_says_so_in_the_users_language(project, client):
    needs_postgresql("it ends the request's own server connection with pg_terminate_backend")
    client.force_login(make_staff(Role.CONSULTANT, projects=[project]))
    with psycopg.connect(database_url("postgres"), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])

    page = client.get("/")

    assert page.status_code == 503
    assert "数据库暂时无法连接" in page.content.decode()
    assert client.get("/").status_code == 200


def served(path: str, token: str) -> int:
    """The status of a GET served as a WSGI server serves it (the test client skips the check at each request's
    start)."""
    from django.core.handlers.wsgi import WSGIHandler

    statuses = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_AUTHORIZATION": f"Token {token}",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    response = WSGIHandler()(environ, lambda status, headers, exc_info=None: statuses.append(status))
    b"".join(response)
    response.close()
    return int(statuses[0].split()[0])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_connection_the_server_ended_between_requests_is_replaced_before_the_next_request(project):
    needs_postgresql("it ends the kept server connection with pg_terminate_backend")
    _, token = AuthToken.objects.create(make_staff(Role.CONSULTANT, projects=[project]))
    assert served("/api/v1/customers/", token) == 200
    ended = connection.connection.info.backend_pid
    with psycopg.connect(database_url("postgres"), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [ended])
    # The server's farewell reaches the kept connection's socket.
    assert select.select([connection.connection.pgconn.socket], [], [], 10)[0]

    assert served("/api/v1/customers/", token) == 200
    assert connection.connection.info.backend_pid != ended


@pytest.mark.django_db
def test_checking_a_kept_connection_sends_the_server_nothing(project):
    needs_postgresql("it reads the connection's last statement from pg_stat_activity")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'the last statement before the check'")
    pid = connection.connection.info.backend_pid

    assert connection.is_usable()

    with psycopg.connect(database_url("postgres"), autocommit=True) as other:
        (last,) = other.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
    assert last == "SELECT 'the last statement before the check'"
