"""The tally of each project's survey responses by month and owner segment, kept by triggers on the responses
table, with the counts of surveys.selectors._counts (rules S1–S3): a respondent answered the overall item; is
satisfied at 4 or 5; answered the three loyalty questions; is satisfied and would buy again and recommend.

The month is the first day of the month the response was answered in, in settings.TIME_ZONE as this migration
found it. SQLite has no time zones: there the zone's offset is added, which needs a zone without summer time
(Asia/Shanghai has none).

SQLite drops a table's triggers when Django rebuilds the table to alter it: a later migration that alters
surveys_response on SQLite must create these triggers again (the tally's tests fail if it does not).
"""

import datetime
import zoneinfo

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TALLY = "surveys_responsetally"
COUNTS = ("responses", "respondents", "satisfied", "loyalty_base", "loyal")


def counted(row: str, sign: str = "") -> list[str]:
    """What one response row adds to each of its tally's counts (negated by `sign` "-" when it leaves)."""
    return [
        f"{sign}CASE WHEN {condition} THEN 1 ELSE 0 END"
        for condition in (
            "TRUE",
            f"{row}.overall_score IS NOT NULL",
            f"{row}.overall_score >= 4",
            f"{row}.overall_score IS NOT NULL AND {row}.would_buy_again IS NOT NULL"
            f" AND {row}.would_recommend IS NOT NULL",
            f"{row}.overall_score >= 4 AND {row}.would_buy_again AND {row}.would_recommend",
        )
    ]


ADDED = ", ".join(f"{name} = tally.{name} + EXCLUDED.{name}" for name in COUNTS)
# What the tally's key and counts are read from: a change of any other column leaves the tally as it is (SQLite's
# update trigger fires on these alone; PostgreSQL's cannot name columns, and its changes then add up to nothing).
READ = ("project_id", "segment", "answered_at", "overall_score", "would_buy_again", "would_recommend")


def month_of(row: str, zone: str, vendor: str) -> str:
    """The first day of the month (in `zone`) the response `row` was answered in."""
    if vendor == "postgresql":
        return f"date_trunc('month', {row}.answered_at AT TIME ZONE '{zone}')::date"
    return f"date({row}.answered_at, '{_fixed_offset(zone):+d} minutes', 'start of month')"


def postgresql(zone: str) -> str:
    """Once per statement, from the statement's rows (an import of 50,000 responses is one grouped upsert), in
    the order of the tally's key, so that two transactions never take the same tally rows in opposite orders."""

    def rows(table, sign=""):
        month = month_of(table, zone, "postgresql")
        return f"SELECT project_id, {month} AS month, segment, {', '.join(counted(table, sign))} FROM {table}"

    def upsert(source):
        sums = ", ".join(f"SUM(c{n})" for n in range(len(COUNTS)))
        columns = ", ".join(f"c{n}" for n in range(len(COUNTS)))
        return f"""
        INSERT INTO {TALLY} AS tally (project_id, month, segment, {', '.join(COUNTS)})
        SELECT project_id, month, segment, {sums} FROM ({source}) AS moved (project_id, month, segment, {columns})
        GROUP BY 1, 2, 3 HAVING {' OR '.join(f"SUM(c{n}) <> 0" for n in range(len(COUNTS)))} ORDER BY 1, 2, 3
        ON CONFLICT (project_id, month, segment) DO UPDATE SET {ADDED};"""

    return f"""
CREATE FUNCTION surveys_response_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN {upsert(rows("new_responses"))}
    ELSIF TG_OP = 'DELETE' THEN {upsert(rows("old_responses", "-"))}
    ELSE {upsert(rows("old_responses", "-") + " UNION ALL " + rows("new_responses"))}
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER surveys_response_tally_insert AFTER INSERT ON surveys_response
    REFERENCING NEW TABLE AS new_responses FOR EACH STATEMENT EXECUTE FUNCTION surveys_response_tally();
CREATE TRIGGER surveys_response_tally_update AFTER UPDATE ON surveys_response
    REFERENCING OLD TABLE AS old_responses NEW TABLE AS new_responses
    FOR EACH STATEMENT EXECUTE FUNCTION surveys_response_tally();
CREATE TRIGGER surveys_response_tally_delete AFTER DELETE ON surveys_response
    REFERENCING OLD TABLE AS old_responses FOR EACH STATEMENT EXECUTE FUNCTION surveys_response_tally();
"""


POSTGRESQL_REVERSE = "DROP FUNCTION surveys_response_tally() CASCADE;"


def sqlite(zone: str) -> list[str]:
    """Once per row (SQLite has no statement triggers); one writer at a time, so no order to keep."""

    def month(row):
        return month_of(row, zone, "sqlite")

    def add(row):
        return f"""INSERT INTO {TALLY} (project_id, month, segment, {', '.join(COUNTS)})
        VALUES ({row}.project_id, {month(row)}, {row}.segment, {', '.join(counted(row))})
        ON CONFLICT (project_id, month, segment) DO UPDATE SET {ADDED.replace("tally.", "")};"""

    def take(row):
        taken = ", ".join(f"{name} = {name} - {value}" for name, value in zip(COUNTS, counted(row), strict=True))
        return f"""UPDATE {TALLY} SET {taken}
        WHERE project_id = {row}.project_id AND month = {month(row)} AND segment = {row}.segment;"""

    return [
        f"CREATE TRIGGER surveys_response_tally_insert AFTER INSERT ON surveys_response BEGIN {add('NEW')} END",
        f"CREATE TRIGGER surveys_response_tally_update AFTER UPDATE OF {', '.join(READ)} ON surveys_response"
        f" BEGIN {take('OLD')} {add('NEW')} END",
        f"CREATE TRIGGER surveys_response_tally_delete AFTER DELETE ON surveys_response BEGIN {take('OLD')} END",
    ]


SQLITE_REVERSE = [f"DROP TRIGGER surveys_response_tally_{event}" for event in ("insert", "update", "delete")]


def _fixed_offset(zone: str) -> int:
    """The zone's offset from UTC in minutes, refused when it changes over the year (summer time)."""
    info = zoneinfo.ZoneInfo(zone)
    offsets = {datetime.datetime(2026, month, 1, tzinfo=info).utcoffset() for month in (1, 7)}
    if len(offsets) != 1:
        raise ValueError(f"The survey tally on SQLite needs a time zone without summer time, not {zone}.")
    return int(offsets.pop().total_seconds() // 60)


def keep_tally(apps, schema_editor):
    zone, vendor = settings.TIME_ZONE, schema_editor.connection.vendor
    for statement in [postgresql(zone)] if vendor == "postgresql" else sqlite(zone):
        schema_editor.execute(statement, params=None)
    schema_editor.execute(_count_existing(zone, vendor), params=None)


def _count_existing(zone: str, vendor: str) -> str:
    month = month_of("surveys_response", zone, vendor)
    sums = ", ".join(f"SUM({value})" for value in counted("surveys_response"))
    return f"""INSERT INTO {TALLY} (project_id, month, segment, {', '.join(COUNTS)})
    SELECT project_id, {month}, segment, {sums} FROM surveys_response GROUP BY 1, 2, 3"""


def drop_tally(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in [POSTGRESQL_REVERSE] if vendor == "postgresql" else SQLITE_REVERSE:
        schema_editor.execute(statement, params=None)



class Migration(migrations.Migration):

    dependencies = [
        ('estates', '0006_unit_tally'),
        ('surveys', '0007_project_list_order_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='ResponseTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='month')),
                ('segment', models.CharField(choices=[('visitor', 'Not an owner'), ('pre_owner', 'Pre-owner'), ('run_in', 'Run-in'), ('stable', 'Stable'), ('old_owner', 'Old owner')], max_length=12, verbose_name='owner segment when answering')),
                ('responses', models.IntegerField(verbose_name='responses')),
                ('respondents', models.IntegerField(verbose_name='respondents')),
                ('satisfied', models.IntegerField(verbose_name='satisfied')),
                ('loyalty_base', models.IntegerField(verbose_name='answered the loyalty questions')),
                ('loyal', models.IntegerField(verbose_name='loyal')),
                ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='response_tallies', to='estates.project', verbose_name='project')),
            ],
            options={
                'verbose_name': 'response tally',
                'verbose_name_plural': 'response tallies',
                'indexes': [models.Index(fields=['month'], name='response_tally_month_idx')],
                'constraints': [models.UniqueConstraint(fields=('project', 'month', 'segment'), name='unique_response_tally_per_month')],
            },
        ),
        migrations.RunPython(keep_tally, drop_tally, elidable=False),
    ]
