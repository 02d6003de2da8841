"""Benchmarks of the hot paths: list endpoints, reports, list pages, the home page and the Excel export.

Usage: make bench  (or .venv/bin/python bench/run.py --customers 5000 --repeat 20)

Runs against a throw-away test database (SQLite by default, PostgreSQL with DATABASE_URL), fills it
with generated customers and the demo data and prints the median and 95th percentile time and the query count of each
request. Numbers are for comparing one change against another on the same machine; tests never time.
"""

import argparse
import os
from contextlib import contextmanager
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanke_crm.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


@contextmanager
def counted_queries():
    """Counts the statements the block runs (a wrapper, not the debug log, which keeps only the last 9,000)."""
    counter = {"queries": 0}

    def count(execute, sql, params, many, context):
        counter["queries"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counter


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--messages", type=int, default=10_000, help="queued messages the sender drains")
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args):
    from django.test import Client

    from core.roles import Role
    from core.testing import api_client, make_staff
    from estates.tests.factories import ProjectFactory
    from members.models import Customer

    project = ProjectFactory()
    manager = make_staff(Role.SALES_MANAGER, projects=[project], username="bench-manager")
    consultant = make_staff(Role.CONSULTANT, projects=[project], reports_to=manager, username="bench-consultant")
    Customer.objects.bulk_create(
        Customer(
            company=project.company,
            project=project,
            name=f"客户{index}",
            mobile=f"+86139{index:08d}",
            consultant=consultant,
        )
        for index in range(args.customers)
    )
    print(f"{args.customers} customers on {connection.vendor}; {args.repeat} requests each\n")

    api = api_client(manager)
    page = Client()
    page.force_login(manager)
    cases = [
        ("API customers, page of 25", lambda: api.get("/api/v1/customers/")),
        ("API customers, page of 200", lambda: api.get("/api/v1/customers/?page_size=200")),
        ("API customers, search by phone", lambda: api.get("/api/v1/customers/?q=00001")),
        ("page customers list", lambda: page.get("/members/customers/")),
        ("page home", lambda: page.get("/")),
        (
            "Excel export, all customers",
            lambda: b"".join(page.get("/members/customers/?format=xlsx").streaming_content),
        ),
    ]
    from django.core.management import call_command

    from core.models import User

    call_command("seed_demo", "--force", stdout=open(os.devnull, "w"))
    head = User.objects.get(username="demo-head")
    head_api, head_page = api_client(head), Client()
    head_page.force_login(head)
    cases += [
        (f"API {resource}, page of 100", lambda resource=resource: head_api.get(f"/api/v1/{resource}/?page_size=100"))
        for resource in (
            "leads",
            "purchases",
            "care-tasks",
            "complaints",
            "repair-orders",
            "survey-responses",
            "messages",
        )
    ] + [
        ("API satisfaction by segment", lambda: head_api.get("/api/v1/reports/satisfaction/?by=segment")),
        ("API complaints monthly report", lambda: head_api.get("/api/v1/reports/complaints-monthly/")),
        ("page home, customer-relations head", lambda: head_page.get("/")),
        ("page care-task queue", lambda: head_page.get("/touchpoints/tasks/?queue=due")),
        ("page complaint board", lambda: head_page.get("/complaints/all/")),
    ]
    print(f"{'request':36} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, request in cases:
        timings = []
        for _ in range(args.repeat):
            with counted_queries() as queries:
                started = time.perf_counter()
                request()
                timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
        print(f"{name:36} {statistics.median(timings):10.1f} {p95:8.1f} {queries['queries']:8d}")
    drain_messages(args.messages, project)


def drain_messages(count: int, project) -> None:
    """The sender's beat run over a backlog, through the console gateway (logging off): messages per second."""
    import logging

    from django.conf import settings
    from django.utils import timezone

    from members.models import Customer
    from touchpoints import messaging
    from touchpoints.models import OutboundMessage

    settings.SMS_GATEWAY = "touchpoints.gateways.ConsoleGateway"
    logging.getLogger("touchpoints.gateways").setLevel(logging.WARNING)
    customers = list(Customer.objects.filter(project=project).values_list("pk", flat=True)[:count])
    Customer.objects.filter(pk__in=customers).update(consents_to_messages=True)
    now = timezone.now()
    OutboundMessage.objects.bulk_create(
        (
            OutboundMessage(
                customer_id=customers[n % len(customers)],
                project=project,
                purpose="bench",
                dedupe_key=f"bench:{now.timestamp()}:{n}",
                body="bench",
                send_after=now,
            )
            for n in range(count)
        ),
        batch_size=2000,
    )
    with counted_queries() as queries:
        started = time.perf_counter()
        sent = messaging.deliver_due()
        seconds = time.perf_counter() - started
    print(
        f"\nmessage drain: {sent} of {count} queued in {seconds:.1f} s ({sent / seconds:,.0f}/s), "
        f"{queries['queries']} queries"
    )


if __name__ == "__main__":
    main()
