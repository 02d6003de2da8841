"""PostgreSQL's planner knows how many survey responses and campaigns each project has, the fewest too
(core.db.statistics)."""

from django.db import migrations

from core.db.statistics import know_every_value


class Migration(migrations.Migration):
    dependencies = [("surveys", "0013_campaign_counts")]

    operations = [
        know_every_value(
            "surveys_response.project_id",
            "surveys_campaign.project_id",
        )
    ]
