"""Loads the 2010 6+2 standard (fixtures/touchpoints_catalogue.json) at set-up (J1, J2).

Rows are matched by code and only created when missing, so running it again, or after an
administrator edited the catalogue in the admin, changes nothing.
"""
import json
from pathlib import Path

from django.conf import settings
from django.db import migrations

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "touchpoints_catalogue.json"


def load_catalogue(apps, schema_editor):
    Step = apps.get_model("touchpoints", "Step")
    Action = apps.get_model("touchpoints", "Action")
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
    steps = {}
    for row in rows:
        if row["model"] == "touchpoints.step":
            fields = dict(row["fields"])
            steps[row["pk"]], _ = Step.objects.get_or_create(code=fields.pop("code"), defaults=fields)
    for row in rows:
        if row["model"] == "touchpoints.action":
            fields = dict(row["fields"])
            fields["step"] = steps[fields["step"]]
            Action.objects.get_or_create(code=fields.pop("code"), defaults=fields)


def unload_catalogue(apps, schema_editor):
    codes = [row["fields"]["code"] for row in json.loads(FIXTURE.read_text(encoding="utf-8"))]
    apps.get_model("touchpoints", "Action").objects.filter(code__in=codes).delete()
    apps.get_model("touchpoints", "Step").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("touchpoints", "0003_add_catalogue_and_care_schedule")]
    operations = [migrations.RunPython(load_catalogue, unload_catalogue)]
