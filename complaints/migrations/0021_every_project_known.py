"""PostgreSQL's planner knows how many complaints, repair orders, return visits and defects each project has, and how
many complaints each person handles or received, the fewest too (core.db.statistics)."""

from django.db import migrations

from core.db.statistics import know_every_value


class Migration(migrations.Migration):
    dependencies = [("complaints", "0020_open_complaints_by_severity")]

    operations = [
        know_every_value(
            "complaints_complaint.project_id",
        "complaints_complaint.handler_id",
        "complaints_complaint.received_by_id",
            "complaints_repairorder.project_id",
            "complaints_returnvisit.project_id",
            "complaints_defect.project_id",
        )
    ]
