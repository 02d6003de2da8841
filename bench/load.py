"""Load test: tablet users reading and writing at once against gunicorn on PostgreSQL (locust).

Usage: make load  (or .venv/bin/python bench/load.py --users 50 --seconds 60)

Builds a fresh PostgreSQL database (DATABASE_URL, default vanke_crm_load on 127.0.0.1, dropped and
created again) with the demo data and a generated company, starts gunicorn (3 workers) on it with the
settings production serves with (bench/production.py: DEBUG off), and runs
`--users` simulated tablets for `--seconds`: consultants list their leads, register visits, open
leads and record follow-ups; customer service takes complaints in and completes due care tasks.

It prints throughput and the 50th and 99th percentile times, and fails (exit 1) on any server
error or timeout, or when the rows the run created differ from the POSTs that were answered as a
success: every accepted write is stored once, nothing refused is stored.
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import requests  # noqa: E402
from locust import HttpUser, between, task  # noqa: E402
from locust.env import Environment  # noqa: E402
from production import serve_as_in_production  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
TIMEOUT = 30  # seconds: an answer slower than this is a timeout, and fails the run

# The rows each kind of write creates, counted in the database before and after the run.
COUNTS = """
import json
from complaints.models import Complaint
from members.models import FollowUp, Lead, Visit
from touchpoints.models import CareTask
print(json.dumps({
    "visit": Visit.objects.count(),
    "lead": Lead.objects.count(),
    "follow-up": FollowUp.objects.count(),
    "complaint": Complaint.objects.count(),
    "care-task completion": CareTask.objects.filter(status="done").count(),
}))
"""

# A token for each tablet user of the generated project (its staff have no password to sign in with).
TOKENS = """
import json
from knox.models import AuthToken
from estates.models import Project
project = Project.objects.filter(name__startswith="负载花园").order_by("pk").first()
def token(user):
    return AuthToken.objects.create(user)[1]
staff = project.staff.order_by("username")
print(json.dumps({
    "project": project.pk,
    "consultants": [token(u) for u in staff.filter(groups__name="consultant")],
    "service": [token(u) for u in staff.filter(groups__name="customer_service")],
}))
"""

# Duties a tablet completes with a line of outcome (the others need a checklist or an evaluation).
SIMPLE_DUTIES = {"home_pack", "move_in_visit", "signing_follow_up_call", "delivery_survey_call", "birthday_greeting"}

successes: Counter = Counter()
refusals: Counter = Counter()
server_errors: Counter = Counter()
mobiles = itertools.count(random.SystemRandom().randrange(10_000_000))
context: dict = {}


def judged(response, kind: str | None = None) -> bool:
    """Classify an answer: a success (counted by kind), a refusal (4xx, a rule said no) or a server error."""
    if response.status_code >= 500:
        server_errors[response.request_meta["name"]] += 1
        response.failure(f"server error {response.status_code}")
        return False
    if response.status_code >= 400:
        refusals[(response.request_meta["name"], response.status_code)] += 1
        response.success()
        return False
    if response.status_code == 0:
        return False  # a timeout or a lost connection: locust records it as a failure
    if kind:
        successes[kind] += 1
    return True


class Tablet(HttpUser):
    abstract = True
    wait_time = between(0.5, 2)
    connection_timeout = network_timeout = TIMEOUT
    tokens_key = ""

    def on_start(self):
        tokens = context[self.tokens_key]
        self.client.headers["Authorization"] = f"Token {random.choice(tokens)}"
        self.project = context["project"]

    def get(self, url, name):
        with self.client.get(url, name=name, catch_response=True) as response:
            return response.json() if judged(response) else None

    def post(self, url, body, name, kind):
        with self.client.post(url, json=body, name=name, catch_response=True) as response:
            return response.json() if judged(response, kind) else None


class Consultant(Tablet):
    weight = 3
    tokens_key = "consultants"

    def on_start(self):
        super().on_start()
        self.leads = []

    @task(4)
    def my_leads(self):
        page = self.get("/api/v1/leads/?page_size=20", "/api/v1/leads/")
        if page:
            self.leads = [lead["id"] for lead in page["results"] if lead.get("status", "active") == "active"]

    @task(1)
    def a_lead(self):
        if self.leads:
            self.get(f"/api/v1/leads/{random.choice(self.leads)}/", "/api/v1/leads/[id]/")

    @task(2)
    def a_walk_in(self):
        visit = self.post(
            "/api/v1/visits/",
            {
                "project": self.project,
                "mobile": f"139{next(mobiles) % 100_000_000:08d}",
                "name": "压测客户",
                "kind": "first",
            },
            "/api/v1/visits/",
            "visit",
        )
        if visit:
            lead = self.post(
                "/api/v1/leads/",
                {
                    "project": self.project,
                    "customer": visit["customer"],
                    "grade": "C",
                    "criteria": ["can_afford", "can_be_guided", "has_need"],
                    "reason": "首次到访",
                },
                "/api/v1/leads/",
                "lead",
            )
            if lead:
                self.leads.append(lead["id"])

    @task(3)
    def a_follow_up(self):
        if self.leads:
            self.post(
                f"/api/v1/leads/{random.choice(self.leads)}/follow-ups/",
                {"method": "call", "content": "电话回访，客户仍在比较"},
                "/api/v1/leads/[id]/follow-ups/",
                "follow-up",
            )


class CustomerService(Tablet):
    weight = 1
    tokens_key = "service"

    def on_start(self):
        super().on_start()
        page = self.get(f"/api/v1/customers/?project={self.project}&page_size=100", "/api/v1/customers/")
        self.customers = [customer["id"] for customer in (page or {}).get("results", [])]

    @task(3)
    def complaints(self):
        self.get("/api/v1/complaints/?page_size=20", "/api/v1/complaints/")

    @task(2)
    def a_complaint(self):
        if self.customers:
            self.post(
                "/api/v1/complaints/",
                {
                    "project": self.project,
                    "customer": random.choice(self.customers),
                    "channel": "hotline",
                    "category": "quality",
                    "title": "厨房漏水",
                    "content": "厨房天花板渗水三天",
                    "demand": "尽快维修",
                    "people_count": 1,
                    "confirm_duplicates": True,
                },
                "/api/v1/complaints/",
                "complaint",
            )

    @task(3)
    def a_care_task(self):
        page = self.get(f"/api/v1/care-tasks/?status=due&project={self.project}&page_size=50", "/api/v1/care-tasks/")
        due = [t["id"] for t in (page or {}).get("results", []) if t["duty"] in SIMPLE_DUTIES]
        if due:
            self.post(
                f"/api/v1/care-tasks/{random.choice(due)}/complete/",
                {"outcome": "已电话联系业主，事项已办"},
                "/api/v1/care-tasks/[id]/complete/",
                "care-task completion",
            )


def manage(*args, env, capture=False):
    run = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, capture_output=capture)
    return run.stdout


def shell(code, env) -> dict:
    return json.loads(manage("shell", "-c", code, env=env, capture=True).strip().splitlines()[-1])


def prepare(args, env) -> None:
    admin_url, name = args.database_url.rsplit("/", 1)
    subprocess.run(
        [  # noqa: S607 - psql from the PATH, as .ci/contract uses it
            "psql",
            f"{admin_url}/postgres",
            "-qc",
            f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
            "-c",
            f"CREATE DATABASE {name}",
        ],
        check=True,
    )
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("generate_load", "--with-demo", "--customers", str(args.customers), "--seed", "1", env=env, capture=True)


def start_server(args, env):
    log = tempfile.NamedTemporaryFile("w", prefix="load-server-", suffix=".log", delete=False)  # noqa: SIM115
    print(f"gunicorn writes its log to {log.name}")
    server = subprocess.Popen(
        [
            GUNICORN,
            "vanke_crm.wsgi",
            "-b",
            f"127.0.0.1:{args.port}",
            "-w",
            "3",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=serve_as_in_production(dict(env)),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(120):
        try:
            if requests.get(f"http://127.0.0.1:{args.port}/healthz/", timeout=5).ok:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.5)
    server.kill()
    sys.exit("gunicorn did not start")


def run_users(args):
    # At the end each user finishes the task it is in: a write the server took is also counted here.
    environment = Environment(
        user_classes=[Consultant, CustomerService], host=f"http://127.0.0.1:{args.port}", stop_timeout=2 * TIMEOUT
    )
    runner = environment.create_local_runner()
    runner.start(args.users, spawn_rate=args.users)
    gevent.sleep(args.seconds)
    runner.stop()
    runner.quit()
    return environment.stats


def report(stats, before, after, seconds) -> bool:
    total = stats.total
    print(f"\n{total.num_requests} requests in {seconds} s: {total.num_requests / seconds:.1f} requests/s")
    print(
        f"p50 {total.get_response_time_percentile(0.5):.0f} ms, p99 {total.get_response_time_percentile(0.99):.0f} ms\n"
    )
    print(f"{'request':45} {'count':>7} {'p50 ms':>8} {'p99 ms':>8}")
    for entry in sorted(stats.entries.values(), key=lambda e: (e.name, e.method)):
        print(
            f"{entry.method + ' ' + entry.name:45} {entry.num_requests:7} "
            f"{entry.get_response_time_percentile(0.5):8.0f} {entry.get_response_time_percentile(0.99):8.0f}"
        )
    timeouts = sum(error.occurrences for error in stats.errors.values()) - sum(server_errors.values())
    print(f"\nserver errors: {sum(server_errors.values())} {dict(server_errors) or ''}")
    print(f"timeouts and lost connections: {timeouts}")
    print(f"refused (4xx): {sum(refusals.values())} {dict(refusals) or ''}")
    ok = not server_errors and timeouts == 0
    print(f"\n{'write':22} {'accepted':>9} {'rows created':>13}")
    for kind in before:
        created = after[kind] - before[kind]
        print(f"{kind:22} {successes[kind]:9} {created:13}")
        ok = ok and created == successes[kind] and successes[kind] > 0
    print("\nOK" if ok else "\nFAILED")
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--customers", type=int, default=20_000, help="customers of the generated company")
    parser.add_argument("--port", type=int, default=8797)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vanke_crm_load"),
    )
    args = parser.parse_args()

    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "vanke_crm.settings",
        "CELERY_TASK_ALWAYS_EAGER": "true",
    }
    prepare(args, env)
    context.update(shell(TOKENS, env))
    before = shell(COUNTS, env)
    server = start_server(args, env)
    try:
        stats = run_users(args)
    finally:
        server.terminate()
        server.wait()
    after = shell(COUNTS, env)
    sys.exit(0 if report(stats, before, after, args.seconds) else 1)


if __name__ == "__main__":
    main()
