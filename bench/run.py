"""The side-by-side benchmark: every list endpoint, every role's dashboard pages, every report, the largest
export and the daily duties, each next to its floor, with the issue 15 targets marked met or not.

Usage:
  make bench                                      # a throw-away database with a generated company
  .venv/bin/python bench/run.py --customers 20000 --repeat 5
  DATABASE_URL=postgres://postgres@127.0.0.1/vanke_crm_million .venv/bin/python bench/run.py --existing \\
      --output bench/RESULTS.md                   # a database filled by `manage.py generate_load --with-demo`

Without --existing it creates a test database on the configured engine (SQLite by default), runs seed_demo and
generate_load into it, and drops it at the end. With --existing it reads the configured database as it is; the
duties run inside a transaction that is rolled back, so the database is left as it was.

Each row is timed in-process (the test client, no network) and gives the median and 95th percentile, the
statements run, and the floor it is compared with:
- "table": one query on the list's own table with the same scope, order and page, its own columns and the counts
  it shows of each row, and one more for the rows it lists under each (a step's actions), where it does;
- "own SQL": the statements the request ran, replayed straight on the database (what the Python costs); for the
  daily care scan and a campaign's sending, their reads and writes, replayed on the data they found and undone
  (their INSERT … SELECT);
- "XlsxWriter": XlsxWriter's constant-memory mode writing the same cells, read back from the product's file.
Numbers are for comparing one change against another on the same machine; the tests never time anything.
"""

import argparse
import datetime
import math
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
if __name__ == "__main__":  # (the suite's smoke run imports this module under its own settings)
    from production import serve_as_in_production

    serve_as_in_production()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanke_crm.settings")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")  # what a request queues runs here, not on a worker

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

API_PAGE_SIZES = (20, 100)
FLOOR_REPEAT = 25  # at least, when the row itself is timed more than once
WARM_RUNS = 12  # at most, within the budget, before a row is timed
LIST_TARGET_MS, LIST_TARGET_RATIO = 25, 10
HOME_TARGET_MS = 150
REPORT_TARGET_MS, REPORT_TARGET_RATIO = 500, 2
EXPORT_TARGET_RATIO = 1.2
EXPORT_MEMORY_RATIO = 1.5
EXPORT_ROWS = 100_000
DRAIN_TARGET_S = 60
COMMITTED_TABLE = Path(__file__).resolve().parent / "RESULTS.md"
# The roles whose pages are read: a demo user of each, and the generated company's own staff of one project.
PAGE_USERS = (
    "demo-head",
    "demo-admin",
    "demo-manager",
    "demo-supervisor",
    "demo-teamleader",
    "demo-consultant",
    "demo-service",
    "demo-area-manager",
    "demo-callcenter",
    "demo-property",
    "demo-engineering",
    "load-0-manager",
    "load-0-consultant-0",
    "load-0-service",
)


@dataclass
class Case:
    group: str
    name: str
    run: Callable[[], object]
    floor: Callable[[], object] | None = None
    floor_kind: str = ""
    target_ms: float | None = None
    target_ratio: float | None = None
    target_words: str = ""  # a target of another kind (requests a second), in words


@dataclass
class Result:
    case: Case
    timings: list[float]
    queries: int
    floor_timings: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def p50(self) -> float:
        return statistics.median(self.timings)

    @property
    def p95(self) -> float:
        ordered = sorted(self.timings)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]

    @property
    def floor_p50(self) -> float | None:
        return statistics.median(self.floor_timings) if self.floor_timings else None

    @property
    def ratio(self) -> float | None:
        floor = self.floor_p50
        return self.p50 / floor if floor else None

    @property
    def met(self) -> bool | None:
        checks = []
        if self.case.target_ms is not None:
            checks.append(self.p50 <= self.case.target_ms)
        if self.case.target_ratio is not None and self.ratio is not None:
            checks.append(self.ratio <= self.case.target_ratio)
        return all(checks) if checks else None


@dataclass
class ServedResult(Result):
    """A row measured outside this process (over HTTP): its percentiles and verdict as the load tool gave them."""

    served_p50: float = 0.0
    served_p95: float = 0.0
    verdict: bool | None = None

    @property
    def p50(self) -> float:
        return self.served_p50

    @property
    def p95(self) -> float:
        return self.served_p95

    @property
    def met(self) -> bool | None:
        return self.verdict


class Recorder:
    """Counts the statements a block runs and keeps them, to replay them as the block's floor: its SELECTs (a read),
    or all of them (a duty that writes), but for the savepoints of its transactions."""

    def __init__(self):
        self.count, self.selects, self.statements = 0, [], []

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        head = sql.lstrip().upper()
        if not many and head.startswith(("SELECT", "WITH")):
            self.selects.append((sql, params))
        if not head.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK")):
            self.statements.append((sql, params, many))
        return execute(sql, params, many, context)


@contextmanager
def recorded():
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        yield recorder


def timed(function: Callable[[], object], repeat: int, budget: float) -> list[float]:
    """At least one run, up to `repeat`, stopping once `budget` seconds are spent."""
    timings, spent = [], 0.0
    while len(timings) < repeat and (not timings or spent < budget):
        started = time.perf_counter()
        function()
        elapsed = time.perf_counter() - started
        timings.append(elapsed * 1000)
        spent += elapsed
    return timings


def replay(selects) -> Callable[[], None]:
    def run():
        with connection.cursor() as cursor:
            for sql, params in selects:
                cursor.execute(sql, params)
                cursor.fetchall()

    return run


def replay_writes(statements) -> Callable[[], None]:
    """The statements a duty ran, reads and writes, replayed straight on the database in a savepoint undone after:
    what the duty's SQL costs without its Python."""

    def run():
        with transaction.atomic(), connection.cursor() as cursor:
            for sql, params, many in statements:
                if many:
                    cursor.executemany(sql, params)
                    continue
                cursor.execute(sql, params)
                if cursor.description is not None:
                    cursor.fetchall()
            transaction.set_rollback(True)

    return run


def measure(case: Case, repeat: int, budget: float) -> Result:
    if repeat == 1:  # a smoke run: the one run counted is the one timed
        with recorded() as recorder:
            timings = timed(case.run, 1, budget)
    else:
        # Warm: the first request fills caches that every later one finds, and a statement run often enough on
        # a connection is prepared (core.db.postgresql), as on a server at work.
        timed(case.run, WARM_RUNS, budget)
        with recorded() as recorder:
            case.run()
        timings = timed(case.run, repeat, budget)
    floor, floor_kind = case.floor, case.floor_kind
    if floor is None and recorder.selects:
        floor, floor_kind = replay(recorder.selects), "own SQL"
    case.floor_kind = floor_kind if floor is not None else ""
    # A floor of a fraction of a millisecond varies by half between runs of five: it is timed more often (within
    # the same budget), so that its median, the ratio's denominator, is steady.
    floor_timings = timed(floor, max(repeat, FLOOR_REPEAT) if repeat > 1 else 1, budget) if floor is not None else []
    return Result(case, timings, recorder.count, floor_timings)


# The cases.


# The largest lists are also read, after the head and on the same connection, by a manager of a large generated
# project and by the demo manager, whose project is a thousandth of the company's rows: a plan that suits the
# others (prepared statements, core.db.postgresql) would walk a whole index for them.
SKEWED_LISTS = ("lead-list", "customer-list", "purchase-list")


def api_list_cases(head, manager, small) -> list[Case]:
    from django.urls import get_resolver

    from core.testing import api_client

    cases = []
    clients = {user.username: api_client(user) for user in (head, manager, small)}
    for route, name, view in _api_lists(get_resolver().url_patterns):
        viewset = view.cls
        ordering = list(getattr(viewset, "ordering", None) or viewset.queryset.model._meta.ordering or ["pk"])
        users = [head, manager, small] if name in SKEWED_LISTS else [head]
        listed = [qs for qs in (getattr(viewset, "list_queryset", None), viewset.queryset) if qs is not None]
        for user in users:
            if clients[user.username].get(f"/{route}?page_size=1").status_code != 200:
                continue  # a list this role may not read
            for size in API_PAGE_SIZES:
                url = f"/{route}?page_size={size}"
                floor = _table_floor(
                    viewset.queryset.model, getattr(viewset, "policy", None), ordering, user, size, listed=listed
                )
                cases.append(_list_case(f"{url} ({user.username})", clients[user.username], url, floor))
    from members import policies
    from members.models import Lead

    for user in (head, manager):
        url = f"/api/v1/leads/?page_size=20&cursor={_cursor_at_middle(user)}"
        floor = _table_floor(Lead, policies.LEADS, ["pk"], user, 20, after_middle=True)
        name = f"/api/v1/leads/ cursor page at the middle row ({user.username})"
        cases.append(_list_case(name, clients[user.username], url, floor))
    cases += _search_cases(head, manager, clients)
    return cases


def _search_cases(head, manager, clients) -> list[Case]:
    """The search box of the customers' and the leads' lists: a name's start and a mobile's last four digits, of the
    first customer the manager sees; and the customers of that name's surname, ordered by name."""
    from urllib.parse import quote

    from members import policies
    from members.models import Customer, Lead
    from members.selectors import customers_named

    first = policies.CUSTOMERS.scope(Customer.objects.all(), manager).order_by("pk").first()
    cases = []
    for text in (first.name, str(first.mobile)[-4:]):
        for route, model, policy, through in (
            ("api/v1/customers/", Customer, policies.CUSTOMERS, ""),
            ("api/v1/leads/", Lead, policies.LEADS, "customer__"),
        ):
            viewset_ordering = list(model._meta.ordering)
            for user in (head, manager):
                url = f"/{route}?page_size=20&q={quote(text)}"
                condition = customers_named(text, through=through)
                floor = _table_floor(model, policy, viewset_ordering, user, 20, condition=condition)
                cases.append(
                    _list_case(f"/{route}?page_size=20&q={text} ({user.username})", clients[user.username], url, floor)
                )
    # A surname thousands share, in the order of the name either way.
    surname = first.name[0]
    for ordering in ("name", "-name"):
        for user in (head, manager):
            url = f"/api/v1/customers/?page_size=20&q={quote(surname)}&ordering={ordering}"
            condition = customers_named(surname)
            floor = _table_floor(Customer, policies.CUSTOMERS, [ordering], user, 20, condition=condition)
            name = f"/api/v1/customers/?page_size=20&q={surname}&ordering={ordering} ({user.username})"
            cases.append(_list_case(name, clients[user.username], url, floor))
    return cases


def _list_case(name, client, url, floor) -> Case:
    run = lambda: _ok(client.get(url))  # noqa: E731
    return Case("API lists", name, run, floor, "table" if floor else "", LIST_TARGET_MS, LIST_TARGET_RATIO)


def _api_lists(patterns, prefix=""):
    from django.urls import URLPattern, URLResolver

    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$").replace("\\Z", "")
        if isinstance(pattern, URLResolver):
            yield from _api_lists(pattern.url_patterns, route)
        elif (
            isinstance(pattern, URLPattern)
            and route.startswith("api/v1/")
            and not route.startswith("api/v1/owner/")
            and (pattern.name or "").endswith("-list")
            and "<" not in route
            and "(?P<format>" not in route
            and hasattr(pattern.callback, "cls")
        ):
            yield route, pattern.name, pattern.callback


def _table_floor(model, policy, ordering, user, size, after_middle=False, condition=None, listed=None):
    """The list's rows in one query on its own table: the product's scope, the same order and page size (and the
    same search `condition`, which may join the table its text is looked for in). Where the answer holds more of
    each row than its own columns, the floor reads that too, as a hand-written query would: the counts the list
    annotates (`listed`: the viewset's list queryset, then its queryset), in the same query, and the rows it lists
    under each, in one more by the page's ids."""
    from django.core.exceptions import EmptyResultSet

    from core.ordering import ordering_terms

    terms = list(ordering)
    if not any(term.lstrip("-") in ("pk", "id") for term in terms):
        terms.append("-pk" if terms[-1].startswith("-") else "pk")
    rows = model._default_manager.all() if not listed else listed[0].prefetch_related(None)
    if policy is not None:
        rows = policy.scope(rows, user)
    if after_middle:
        rows = rows.filter(pk__gt=_middle_pk(user))
    if condition is not None:
        rows = rows.filter(condition)
    columns = [f.attname for f in model._meta.concrete_fields]
    counts = list(listed[0].query.annotation_select) if listed else []
    page = rows.order_by(*ordering_terms(model, terms)).values_list(*columns, *counts)[:size]
    try:
        statements = [page.query.sql_with_params()]
    except EmptyResultSet:  # the user sees none of these rows: the request's own SQL is its floor
        return None
    ids = [row[columns.index(model._meta.pk.attname)] for row in page]
    for relation, fields in _listed_relations(listed).items() if ids else ():
        child = model._meta.get_field(relation).related_model
        fields = fields or [f.name for f in child._meta.concrete_fields]
        children = model._default_manager.filter(pk__in=ids).values_list("pk", *(f"{relation}__{f}" for f in fields))
        statements.append(children.query.sql_with_params())
    return replay(statements)


def _listed_relations(listed) -> dict[str, list[str]]:
    """The relations whose rows a list's answer holds under each of its own (what its queryset prefetches, or
    what the viewset's reads after the page, as `listed`), each with the fields it reads of them where narrowed
    (`only`)."""
    from django.db.models import Prefetch

    relations = {}
    for queryset in listed or ():
        for lookup in queryset._prefetch_related_lookups:
            through = lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup
            narrowed = getattr(lookup, "queryset", None)
            only, deferred = narrowed.query.deferred_loading if narrowed is not None else ((), True)
            relations.setdefault(through.split("__")[0], sorted(only) if not deferred else [])
    return relations


def _middle_pk(user) -> int:
    from members import policies
    from members.models import Lead

    leads = policies.LEADS.scope(Lead.objects.all(), user).order_by("pk").values_list("pk", flat=True)
    total = leads.count()
    return leads[total // 2] if total else 0


def _cursor_at_middle(user) -> str:
    from base64 import b64encode
    from urllib.parse import quote, urlencode

    return quote(b64encode(urlencode({"p": _middle_pk(user)}).encode("ascii")).decode("ascii"))


def page_cases(users) -> list[Case]:
    from django.test import Client
    from django.urls import resolve

    from core.roles import MANAGEMENT, Role
    from core.views import FilteredListView
    from vanke_crm.navigation import items_for

    cases = []
    for user in users:
        client = Client()
        client.force_login(user)
        for item in items_for(user, "/"):
            url = item["url"]
            landing = client.get(url)
            if landing.status_code == 302:  # a page that opens on a default choice (a queue, a period)
                url = landing.url
            view = getattr(resolve(url.split("?")[0]).func, "view_class", None)
            is_list = view is not None and issubclass(view, FilteredListView)
            is_home = url in ("/", "/members/my-day/")
            cases.append(
                Case(
                    "Pages",
                    f"{url} ({user.username})",
                    lambda client=client, url=url: _ok(client.get(url)),
                    target_ms=HOME_TARGET_MS if is_home else LIST_TARGET_MS if is_list else None,
                )
            )
        if user.has_role(*MANAGEMENT, Role.SALES_MANAGER):  # the home's company figures are kept a few minutes
            cases.append(
                Case(
                    "Pages",
                    f"/?fresh=1 ({user.username}), the company figures counted again",
                    lambda client=client: _ok(client.get("/?fresh=1")),
                    target_ms=HOME_TARGET_MS,
                )
            )
    return cases


def record_page_cases(users) -> list[Case]:
    """Each kind of record's own page (a customer, a lead, a complaint, a campaign …), as each user opens the one in
    the middle of those they may see by id: held to the home's bound, whatever the company's size."""
    from django.test import Client
    from django.urls import get_resolver

    cases = []
    for route, view in _record_pages(get_resolver().url_patterns):
        for user in users:
            if not view.may_open(user):
                continue
            rows = view.queryset if view.queryset is not None else view.model._default_manager.all()
            ids = view.policy.scope(rows.all(), user).order_by("pk").values_list("pk", flat=True)
            total = ids.count()
            if not total:
                continue
            url = "/" + route.replace("<int:pk>", str(ids[total // 2]))
            client = Client()
            client.force_login(user)
            cases.append(
                Case(
                    "Record pages",
                    f"/{route.replace('<int:pk>', '{id}')} ({user.username}), the middle of {total:,}",
                    lambda client=client, url=url: _ok(client.get(url)),
                    target_ms=HOME_TARGET_MS,
                )
            )
    return cases


def _record_pages(patterns, prefix=""):
    """The dashboard's pages of one record by id (a policy's DetailView), by route."""
    from django.urls import URLResolver
    from django.views.generic import DetailView

    from core.views import PolicyMixin

    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _record_pages(pattern.url_patterns, route)
            continue
        view = getattr(pattern.callback, "view_class", None)
        if (
            view is not None
            and issubclass(view, PolicyMixin)
            and issubclass(view, DetailView)
            and route.endswith("<int:pk>/")
            and route.count("<") == 1
            and not route.startswith(("api/", "admin/", "exports/"))  # (an export's page is its maker's alone)
        ):
            yield route, view


def lookup_cases(head, manager) -> list[Case]:
    """The header's search box and the form's customer picker, as typed: a name's start, its pinyin initials, a
    mobile's last four digits, each of the first customer the manager sees, and a surname thousands share."""
    from urllib.parse import quote

    from django.test import Client

    from lookup.indexing import pinyin_initials
    from members import policies
    from members.models import Customer

    first = policies.CUSTOMERS.scope(Customer.objects.all(), manager).order_by("pk").first()
    texts = [first.name, pinyin_initials(first.name), str(first.mobile)[-4:], first.name[0]]
    cases = []
    for user in (head, manager):
        client = Client()
        client.force_login(user)
        for text in texts:
            for route in ("/lookup/", "/lookup/pick/customer/"):
                url = f"{route}?q={quote(text)}"
                cases.append(
                    Case(
                        "Pages",
                        f"{route}?q={text} ({user.username})",
                        lambda client=client, url=url: _ok(client.get(url)),
                        target_ms=LIST_TARGET_MS,
                    )
                )
    return cases


def report_cases(head, project) -> list[Case]:
    from core.testing import api_client

    client = api_client(head)
    reports = [
        "weekly-summary",
        f"scorecard?project={project.pk}",
        "return-visit-coverage",
        "complaints-monthly",
        "defects-weekly",
        "satisfaction",
        "satisfaction?by=segment",
        "loyalty",
    ]
    cases = []
    for report in reports:
        for suffix in ("", "&format=xlsx" if "?" in report else "?format=xlsx"):
            url = f"/api/v1/reports/{report.replace('?', '/?') if '?' in report else report + '/'}{suffix}"
            cases.append(
                Case(
                    "Reports",
                    f"{url} ({head.username})",
                    lambda url=url: _ok(client.get(url)),
                    target_ms=REPORT_TARGET_MS,
                    target_ratio=REPORT_TARGET_RATIO,
                )
            )
    return cases


def export_cases(head) -> list[Case]:
    """The customer list's Excel file of up to EXPORT_ROWS rows, written as the worker writes it."""
    export, total = _customer_export(head, EXPORT_ROWS)
    cells = export(keep=True)
    return [
        Case(
            "Exports",
            f"customers, {total:,} rows (run_export)",
            export,
            lambda: _xlsxwriter(cells),
            "XlsxWriter",
            target_ratio=EXPORT_TARGET_RATIO,
        )
    ]


def export_memory(head) -> Result:
    """The customer export's peak memory (tracemalloc) at EXPORT_ROWS rows against a tenth of them: a file that
    streams to disk needs about as much for both."""
    import tracemalloc

    peaks, seconds, totals = [], [], []
    # (the smaller as near a tenth as the filters allow: a generated project's 5,000 customers, where no list of
    # 10,000 is to be had between them and a source channel's 125,000)
    for rows, at_least in ((EXPORT_ROWS // 10, False), (EXPORT_ROWS, True)):
        export, total = _customer_export(head, rows, at_least=at_least)
        tracemalloc.start()
        started = time.perf_counter()
        export()
        seconds.append(time.perf_counter() - started)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        totals.append(total)
    (small, large), ratio = totals, peaks[1] / peaks[0]
    case = Case(
        "Exports",
        f"customers, peak memory at {large:,} rows against {small:,} (tracemalloc, which slows the run)",
        lambda: None,
        target_words=f"≤ {EXPORT_MEMORY_RATIO:g}× the smaller",
    )
    note = f"{peaks[1] / 2**20:.1f} MiB against {peaks[0] / 2**20:.1f} MiB: {ratio:.2f}×"
    taken = seconds[1] * 1000
    return ServedResult(
        case, [], 0, note=note, served_p50=taken, served_p95=taken, verdict=ratio <= EXPORT_MEMORY_RATIO
    )


def _customer_export(head, rows: int, *, at_least: bool = True):
    """A customer export of at least `rows` rows, as few more as the list's filters allow (one project's
    customers, or those of one source channel), or, not `at_least`, of the number nearest to `rows` they allow:
    the function that writes it (as the worker does, then deletes it) and its number of rows."""
    from django.db.models import Count

    from core.exports import run_export
    from core.models import Export
    from members.models import Customer

    customers = Customer.objects.order_by()
    by_project = customers.exclude(project=None).values_list("project").annotate(n=Count("pk"))
    by_channel = customers.values_list("source_channel").annotate(n=Count("pk"))
    candidates = [*((f"project={pk}", n) for pk, n in by_project), *((f"source_channel={c}", n) for c, n in by_channel)]
    enough = [pair for pair in candidates if pair[1] >= rows]  # (a small database has no such list: its largest)
    if not at_least:
        condition, total = min(candidates, key=lambda pair: abs(math.log(pair[1] / rows)))
    elif enough:
        condition, total = min(enough, key=lambda pair: pair[1])
    else:
        condition, total = max(candidates, key=lambda pair: pair[1])
    query = f"format=xlsx&{condition}"

    def export(keep=False):
        record = Export.objects.create(
            requested_by=head,
            title="bench",
            path="/members/customers/",
            query=query,
            language="zh-hans",
            total_rows=total,
        )
        record = run_export(export_id=record.pk)
        if not record.file:
            raise RuntimeError(f"the export failed: {record.error}")
        cells = _cells_of(record.file) if keep else None
        if cells is not None and len(cells) != 1 + total:  # (the header, then a row per customer)
            raise RuntimeError(f"the export wrote {len(cells) - 1:,} rows, not {total:,}")
        record.file.delete(save=False)
        record.delete()
        return cells

    return export, total


def _cells_of(file) -> list:
    """The cells of the file the product wrote (read once, outside the timing)."""
    import openpyxl

    with file.open("rb"), tempfile.NamedTemporaryFile(suffix=".xlsx") as copy:
        copy.write(file.read())
        copy.flush()
        workbook = openpyxl.load_workbook(copy.name, read_only=True)
        rows = [list(row) for row in workbook.active.iter_rows(values_only=True)]
        workbook.close()
    return rows


def _xlsxwriter(cells) -> None:
    import xlsxwriter

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as target:
        workbook = xlsxwriter.Workbook(target.name, {"constant_memory": True})
        sheet = workbook.add_worksheet()
        for index, row in enumerate(cells):
            sheet.write_row(index, 0, row)
        workbook.close()


def duty_results(repeat: int, messages: int) -> list[Result]:
    """The daily care scan and the flagging of overdue follow-ups (first and second run of a day), the sender's
    drain and a campaign's sending, each rolled back."""
    from members.services import flag_overdue_follow_ups
    from touchpoints.schedule import run_daily_scan

    results = daily_duty(
        "daily care scan", lambda day: run_daily_scan(today=day).created, "tasks created", repeat, again_target=0.1
    )
    # (issue 15 holds the care scan's second run to a tenth of its first; the flagging's reads every overdue lead
    # again, as few values each, and is shown without a target)
    results += daily_duty("flagging overdue follow-ups", lambda day: flag_overdue_follow_ups(on=day), "flags", repeat)
    results.append(drain_messages(messages))
    results.append(campaign_send(repeat))
    _vacuum_after_rollback()
    return results


def daily_duty(
    name: str, run: Callable[[datetime.date], int], made: str, repeat: int, again_target: float | None = None
) -> list[Result]:
    """A daily duty's first run of the day, the day before's done, against its own statements replayed (what one
    INSERT … SELECT of the same selection does: find the rows due, write them); and its second run, which finds
    nothing left to do, against the first. `run(day)` says how many rows it wrote."""
    today = datetime.date.today()
    first, second, floor, created = [], [], [], 0
    for _ in range(max(1, min(repeat, 3))):
        with transaction.atomic():
            run(today - datetime.timedelta(days=1))  # a day like any other: yesterday's caught up what was before
            with transaction.atomic():
                with recorded() as statements:
                    run(today)
                transaction.set_rollback(True)
            floor += timed(replay_writes(statements.statements), 1, budget=0)
            with recorded() as recorder:
                started = time.perf_counter()
                created = run(today)
                first.append((time.perf_counter() - started) * 1000)
            first_queries = recorder.count
            started = time.perf_counter()
            with recorded() as again:
                run(today)
            second.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    once = Case("Duties", f"{name}, first run of the day (the day before's done)", lambda: None, target_ratio=2)
    twice = Case("Duties", f"{name}, second run (creates nothing)", lambda: None, target_ratio=again_target)
    once.floor_kind, twice.floor_kind = "own SQL", "first run"
    return [
        Result(once, first, first_queries, floor_timings=floor, note=f"{created:,} {made}"),
        Result(twice, second, again.count, floor_timings=first, note="floor: the first run"),
    ]


def _vacuum_after_rollback() -> None:
    """Rows written and rolled back stay behind as dead ones, and mark their pages as not all visible: the next
    run's index-only counts would read the table. Vacuumed, the database is as the run found it."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:  # (VACUUM runs outside transactions only)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) touchpoints_caretask, touchpoints_outboundmessage, touchpoints_communitynotice, "
            "touchpoints_visitround, core_export, members_overdueflag"
        )


def drain_messages(count: int) -> Result:
    """The sender's beat runs over a backlog through the console gateway (logging off), rolled back."""
    import logging

    from django.conf import settings
    from django.utils import timezone

    from members.models import Customer
    from touchpoints import messaging
    from touchpoints.models import OutboundMessage

    settings.SMS_GATEWAY = "touchpoints.gateways.ConsoleGateway"
    logging.getLogger("touchpoints.gateways").setLevel(logging.WARNING)
    with transaction.atomic():
        customers = list(Customer.objects.order_by("pk").values_list("pk", "project_id")[:count])
        Customer.objects.filter(pk__in=[pk for pk, _ in customers]).update(consents_to_messages=True)
        OutboundMessage.objects.filter(status="queued").update(status="cancelled")
        now = timezone.now()
        OutboundMessage.objects.bulk_create(
            (
                OutboundMessage(
                    customer_id=customers[n % len(customers)][0],
                    project_id=customers[n % len(customers)][1],
                    purpose="bench",
                    dedupe_key=f"bench:{now.timestamp()}:{n}",
                    body="bench",
                    send_after=now,
                )
                for n in range(count)
            ),
            batch_size=2000,
        )
        sent = 0
        with recorded() as recorder:
            started = time.perf_counter()
            while sent < count:
                delivered = messaging.deliver_due()
                if not delivered:
                    break
                sent += delivered
            seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    case = Case("Duties", f"sending {count:,} queued messages (console gateway)", lambda: None)
    case.target_ms = DRAIN_TARGET_S * 1000
    return Result(case, [seconds * 1000], recorder.count, note=f"{sent:,} sent, {sent / seconds:,.0f}/s")


def campaign_send(repeat: int) -> Result:
    """A survey campaign sent to every owner of the project with the most purchases (its invitations, their links
    queued in the outbox), rolled back; its floor is its own statements, reads and writes, replayed and undone."""
    from django.db.models import Count

    from core.models import User
    from estates.models import Project
    from members.models import Purchase
    from surveys import services
    from surveys.models import Questionnaire

    head = User.objects.get(username="demo-head")
    largest = Purchase.objects.values("project").annotate(n=Count("*")).order_by("-n").values_list("project", flat=True)
    project = Project.objects.get(pk=largest[0])
    questionnaire = Questionnaire.objects.filter(is_current=True).order_by("pk").first()
    timings, floor, invited, statements = [], [], 0, 0
    for _ in range(max(1, min(repeat, 3))):
        with transaction.atomic():
            campaign = services.create_campaign(actor=head, name="bench", questionnaire=questionnaire, project=project)
            with transaction.atomic():
                with recorded() as recorder:
                    services.send_campaign(campaign=campaign, base_url="https://crm.example.com", actor=head)
                transaction.set_rollback(True)
            floor += timed(replay_writes(recorder.statements), 1, budget=0)
            started = time.perf_counter()
            invited = services.send_campaign(campaign=campaign, base_url="https://crm.example.com", actor=head)
            timings.append((time.perf_counter() - started) * 1000)
            statements = recorder.count
            transaction.set_rollback(True)
    case = Case("Duties", "sending a survey campaign to every owner of the largest project", lambda: None)
    case.target_ratio, case.floor_kind = 2, "own SQL"
    return Result(case, timings, statements, floor_timings=floor, note=f"{invited:,} invited")


HTTP_URL = "/api/v1/leads/?page_size=20"
HTTP_TARGET_RPS, HTTP_TARGET_P99 = 200, 3
HTTP_SECONDS, HTTP_CONNECTIONS = 15, 6
WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("served %d %d %d %.3f %.3f %.3f\\n", summary.requests, summary.duration,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def http_results(user) -> list[Result]:
    """The tablets' busiest request served by gunicorn (3 workers, as in production) under wrk, over HTTP on this
    machine: requests a second and latency. Needs wrk on the PATH (Debian's package) and PostgreSQL."""
    import shutil
    import socket
    import subprocess
    import urllib.request

    from knox.models import AuthToken

    if shutil.which("wrk") is None or connection.vendor != "postgresql" or connection.in_atomic_block:
        # (inside a transaction, as the suite's smoke run is, the server would not see the token made for it)
        print("HTTP: skipped (needs wrk on the PATH, PostgreSQL, and no transaction open)")
        return []
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    root = Path(__file__).resolve().parents[1]
    server = subprocess.Popen(
        [str(root / ".venv" / "bin" / "gunicorn"), "vanke_crm.wsgi", "-b", f"127.0.0.1:{port}", "-w", "3"]
        + ["--log-level", "warning"],
        cwd=root,
        env=os.environ,
    )
    instance, token = AuthToken.objects.create(user)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=5)  # noqa: S310 - our server
                break
            except OSError:
                time.sleep(0.5)
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as report:
            report.write(WRK_REPORT)
            report.flush()
            output = subprocess.run(
                ["wrk", "-t2", f"-c{HTTP_CONNECTIONS}", f"-d{HTTP_SECONDS}s", "-s", report.name]  # noqa: S607
                + ["-H", f"Authorization: Token {token}", f"http://127.0.0.1:{port}{HTTP_URL}"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
    finally:
        server.terminate()
        server.wait()
        instance.delete()
    served = next(line.split()[1:] for line in output.splitlines() if line.startswith("served "))
    requests, duration, errors = (int(value) for value in served[:3])
    p50, p95, p99 = (float(value) for value in served[3:])
    per_second = requests / (duration / 1_000_000)
    case = Case(
        "HTTP",
        f"{HTTP_URL} ({user.username}), gunicorn 3 workers, wrk {HTTP_CONNECTIONS} connections for {HTTP_SECONDS} s",
        lambda: None,
        target_words=f"≥ {HTTP_TARGET_RPS} requests/s and p99 ≤ {HTTP_TARGET_P99}× p50",
    )
    verdict = per_second >= HTTP_TARGET_RPS and p99 <= HTTP_TARGET_P99 * p50 and errors == 0
    note = f"{per_second:.0f} requests/s, p99 {p99:.1f} ms, {errors} errors"
    return [ServedResult(case, [], 0, note=note, served_p50=p50, served_p95=p95, verdict=verdict)]


def _ok(response):
    if response.status_code != 200:
        raise AssertionError(f"{response.status_code} from {response.request['PATH_INFO']}")
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response


# Running and writing the table.


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=20_000, help="generated without --existing")
    parser.add_argument("--existing", action="store_true", help="the configured database, already generated")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--budget", type=float, default=4.0, help="seconds spent at most timing one row")
    parser.add_argument("--messages", type=int, default=10_000, help="queued messages the sender drains")
    parser.add_argument("--output", type=Path, help="write the table (Markdown) to this file")
    parser.add_argument("--only", default="", help="only the groups named (comma-separated)")
    parser.add_argument("--users", default=",".join(PAGE_USERS), help="whose pages are read (comma-separated)")
    parser.add_argument(
        "--against", type=Path, default=COMMITTED_TABLE, help="a table whose floors this host's are compared with"
    )
    args = parser.parse_args()

    if args.existing:
        run(args)
        return
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.core.management import call_command

        with open(os.devnull, "w") as quiet:
            call_command("generate_load", "--customers", str(args.customers), "--with-demo", "--force", stdout=quiet)
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args) -> None:
    from core.models import User
    from members.models import Customer

    users = {user.username: user for user in User.objects.filter(username__in=PAGE_USERS)}
    head, manager = users["demo-head"], users["load-0-manager"]
    readers = [users[name] for name in args.users.split(",") if name in users]
    customers = Customer.objects.count()
    groups = {name.strip() for name in args.only.split(",") if name.strip()}
    started = time.monotonic()
    print(f"{customers:,} customers on {connection.vendor}; up to {args.repeat} runs a row\n")
    builders = [
        ("API lists", lambda: api_list_cases(head, manager, users["demo-manager"])),
        ("Pages", lambda: page_cases(readers) + lookup_cases(head, manager)),
        ("Record pages", lambda: record_page_cases([head, manager, users["load-0-service"]])),
        ("Reports", lambda: report_cases(head, manager.projects.order_by("pk").first())),
        ("Exports", lambda: export_cases(head)),
    ]
    results, failures = [], []
    for group, build in builders:
        if groups and group not in groups:
            continue
        try:
            cases = build()
        except Exception as error:
            failures.append(f"{group}: {error!r}")
            continue
        for case in cases:
            try:
                result = measure(case, args.repeat, args.budget)
            except Exception as error:  # a broken row is reported, the others still run
                failures.append(f"{case.name}: {error!r}")
                continue
            results.append(result)
            print(_line(result), flush=True)
    if not groups or "Exports" in groups:
        try:
            results.append(export_memory(head))
            print(_line(results[-1]), flush=True)
        except Exception as error:
            failures.append(f"export memory: {error!r}")
    if not groups or "HTTP" in groups:
        for result in http_results(manager):
            results.append(result)
            print(_line(result), flush=True)
    if not groups or "Duties" in groups:
        for result in duty_results(args.repeat, args.messages):
            results.append(result)
            print(_line(result), flush=True)
    against = args.against.read_text(encoding="utf-8") if args.against and args.against.exists() else ""
    speed = host_speed(results, against)
    if speed:
        print(f"\n{speed}")
    table = _markdown(results, failures, customers, time.monotonic() - started, speed)
    if args.output:
        args.output.write_text(table, encoding="utf-8")
        print(f"\nwritten to {args.output}")
    if failures:
        print("\n".join(["", "failed:", *failures]))
        sys.exit(1)


def floors_of(table: str) -> dict[str, float]:
    """The floors (p50 ms) of a table this script wrote, by row: its "what" before any note."""
    floors = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 9 and cells[4] and cells[5]:
            try:
                floors[cells[0].split(" — ")[0]] = float(cells[5])
            except ValueError:  # the header row
                continue
    return floors


def host_speed(results: list[Result], against: str) -> str:
    """How this run's floors compare with another table's (the committed one): the same hand-written queries
    and files timed on both hosts, so the factor is the hosts' and the database's, not the product's. Absolute
    targets (25 ms, 150 ms, 500 ms) are for the committed table's host; the ratios hold on any."""
    before = floors_of(against)
    factors = sorted(
        result.floor_p50 / before[result.case.name]
        for result in results
        if result.floor_p50 and before.get(result.case.name)
    )
    if len(factors) < 5:
        return ""
    median = statistics.median(factors)
    slower = "slower" if median >= 1 else "faster"
    return (
        f"Host speed: this run's floors are {median:.2f}× the compared table's (median of {len(factors)} floors, "
        f"{factors[len(factors) // 4]:.2f}–{factors[3 * len(factors) // 4]:.2f}× between the quartiles): this host "
        f"is {max(median, 1 / median):.1f}× {slower} at the same queries and files."
    )


def _line(result: Result) -> str:
    ratio = f"{result.ratio:6.2f}x" if result.ratio else "       "
    met = {True: "met", False: "MISSED", None: ""}[result.met]
    return f"{result.case.name[:70]:70} {result.p50:9.1f} {result.p95:9.1f} {result.queries:5d} {ratio} {met}"


def _markdown(results: list[Result], failures: list[str], customers: int, seconds: float, speed: str = "") -> str:
    met = sum(1 for r in results if r.met)
    missed = [r for r in results if r.met is False]
    lines = [
        "# Benchmark: the product side by side with its floor",
        "",
        f"Written by `bench/run.py` on {datetime.date.today():%Y-%m-%d}: {customers:,} customers on "
        f"{connection.vendor}, {len(results)} rows in {seconds / 60:.0f} min. Times are in-process milliseconds "
        f"(median, 95th percentile); the floor and the targets are explained in the script's docstring.",
        "",
        f"**Targets: {met} met, {len(missed)} missed**, {len(results) - met - len(missed)} rows without a target.",
        "",
        *([speed, ""] if speed else []),
    ]
    group = None
    for result in results:
        if result.case.group != group:
            group = result.case.group
            lines += [
                "",
                f"## {group}",
                "",
                "| what | p50 ms | p95 ms | queries | floor | floor p50 ms | ratio | target | met |",
                "| --- | ---: | ---: | ---: | --- | ---: | ---: | --- | --- |",
            ]
        case = result.case
        target = case.target_words or " and ".join(
            part
            for part in (
                f"≤ {case.target_ms:g} ms" if case.target_ms is not None else "",
                f"≤ {case.target_ratio:g}×" if case.target_ratio is not None else "",
            )
            if part
        )
        floor = f"{result.floor_p50:.1f}" if result.floor_p50 is not None else ""
        ratio = "" if result.ratio is None else f"{result.ratio:.2f}×" if result.ratio < 1 else f"{result.ratio:.1f}×"
        verdict = {True: "yes", False: "**no**", None: ""}[result.met]
        name = case.name + (f" — {result.note}" if result.note else "")
        lines.append(
            f"| {name} | {result.p50:.1f} | {result.p95:.1f} | {result.queries} | {case.floor_kind} | {floor} "
            f"| {ratio} | {target} | {verdict} |"
        )
    if failures:
        lines += ["", "## Failed rows", "", *(f"- {failure}" for failure in failures)]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
