import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from core.models import User
from estates.models import Project
from members.models import Customer

DEMO_LOGINS = [
    "admin",
    "demo-consultant",
    "demo-supervisor",
    "demo-manager",
    "demo-service",
    "demo-area-manager",
    "demo-callcenter",
    "demo-head",
]


def test_seed_demo_is_idempotent_and_every_demo_user_can_sign_in(db, settings):
    settings.SEED_DEMO_ALLOWED = True
    call_command("seed_demo")
    counts = (User.objects.count(), Project.objects.count(), Customer.objects.count())
    call_command("seed_demo")

    assert (User.objects.count(), Project.objects.count(), Customer.objects.count()) == counts
    assert counts[1] == 2 and counts[2] >= 200
    for username in DEMO_LOGINS:
        client = Client()
        assert client.login(username=username, password="demo"), username
        assert client.get("/").status_code == 200


def test_seed_demo_refuses_to_run_in_production_unless_forced(db, settings):
    settings.SEED_DEMO_ALLOWED = False

    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.filter(username="admin").exists()
