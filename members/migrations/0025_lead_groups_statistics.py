"""PostgreSQL learns how many (project, consultant) pairs the leads fall into.

The weekly summary counts the leads by project and consultant. The planner multiplied the two columns' counts of
distinct values (a consultant works in one project, not in every one) and expected 51,102 groups for the
generated million's 1,003: it sorted the 900,000 active leads on disk to group them (335 ms) where it now hashes
them (200 ms). Extended statistics on the pair tell it; ANALYZE fills them at once rather than at autovacuum's
next visit."""

from django.db import migrations

NAME = "members_lead_project_consultant_stats"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {NAME} (ndistinct) ON project_id, consultant_id FROM members_lead"
        )
        schema_editor.execute("ANALYZE members_lead")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("members", "0024_consent_in_id_order")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
