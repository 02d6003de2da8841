"""PostgreSQL's planner knows how many care tasks each project has and each person owns by name, the fewest too
(core.db.statistics): the head's overdue tasks on the home page were read by walking every open task in due order
(139 ms on the generated million of 200 projects) instead of the head's few by their owner (0.1 ms)."""

from django.db import migrations

from core.db.statistics import know_every_value


class Migration(migrations.Migration):
    dependencies = [("touchpoints", "0017_due_queue_counted_from_the_index")]

    operations = [
        know_every_value(
            "touchpoints_caretask.project_id",
            "touchpoints_caretask.owner_id",
            "touchpoints_outboundmessage.project_id",
            "touchpoints_visitround.project_id",
        )
    ]
