"""PostgreSQL's planner knows how many units and buildings each project has, the smallest too (core.db.statistics)."""

from django.db import migrations

from core.db.statistics import know_every_value


class Migration(migrations.Migration):
    dependencies = [("estates", "0008_orderings_within_a_project")]

    operations = [
        know_every_value(
            "estates_unit.project_id",
            "estates_building.project_id",
        )
    ]
