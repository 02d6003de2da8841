"""The admin is the configuration screen: every model has a working page, governed by roles."""

import pytest
from django.contrib import admin

from core.admin import PolicyAdmin, PolicyInline
from core.roles import Role
from core.testing import make_staff
from estates.tests.factories import BuildingFactory, UnitFactory
from members.tests.factories import CustomerFactory

MODELS = list(admin.site._registry)
OUR_APPS = {"core", "estates", "members", "touchpoints", "complaints", "surveys", "owners", "lookup", "onboarding"}
# What the system and its duties keep, read in the admin: the administrator's trails, and management's records.
SYSTEM_TRAILS = ["core/signinrecord", "core/idempotencykey", "core/queuedtask"]
MANAGEMENT_RECORDS = [
    "core/export",
    "estates/company",
    "complaints/slaclock",
    "complaints/escalation",
    "complaints/notification",
    "complaints/crisisaction",
    "complaints/retentionrecord",
    "complaints/handbookissue",
    "onboarding/importbatch",
    "surveys/importbatch",
]


@pytest.fixture
def superuser(db):
    from core.models import User

    return User.objects.create_superuser("root", password="pw-for-tests-1")


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_model_has_a_searchable_list_and_an_add_page(model, superuser, client, project):
    UnitFactory(building=BuildingFactory(project=project))
    CustomerFactory(project=project)
    client.force_login(superuser)
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"

    assert client.get(base, {"q": "1"}).status_code == 200
    add = client.get(f"{base}add/")
    assert add.status_code in (200, 403)  # 403 where adding by hand makes no sense (idempotency keys)


def test_admin_labels_are_chinese_by_default(superuser, client):
    client.force_login(superuser)
    assert "客户" in client.get("/admin/").text


def test_the_admin_is_closed_to_sales_staff(project, client):
    client.force_login(make_staff(Role.CONSULTANT, projects=[project]))
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_a_customer_relations_head_edits_configuration_but_not_staff(project, client):
    head = make_staff(Role.CR_HEAD, projects=[project])
    client.force_login(head)

    assert client.get("/admin/estates/componenttype/add/").status_code == 200
    assert client.get("/admin/core/user/").status_code == 403
    assert client.get("/admin/estates/project/add/").status_code == 403


def test_the_administrator_keeps_the_staff_list_but_grants_no_superuser_status(project, client, superuser):
    from django.contrib.auth.models import Group

    from core.models import User

    administrator = make_staff(Role.ADMINISTRATOR, username="it-admin")
    client.force_login(administrator)

    listed = client.get("/admin/core/user/")
    added = client.post(
        "/admin/core/user/add/",
        {
            "username": "new-consultant",
            "password1": "Vanke-2026-xyz!",
            "password2": "Vanke-2026-xyz!",
            "usable_password": "true",
        },
    )
    newcomer = User.objects.get(username="new-consultant")
    form = client.get(f"/admin/core/user/{newcomer.pk}/change/")
    changed = client.post(
        f"/admin/core/user/{newcomer.pk}/change/",
        {
            "username": "new-consultant",
            "groups": [Group.objects.get(name=Role.CONSULTANT).pk],
            "is_active": "on",
            "is_superuser": "on",
        },
    )

    assert listed.status_code == 200 and "it-admin" in listed.text and "root" not in listed.text
    assert added.status_code == 302, added.context["adminform"].form.errors if added.context else added
    assert form.status_code == 200 and 'name="is_superuser"' not in form.text and 'name="groups"' in form.text
    assert changed.status_code == 302, changed.context["adminform"].form.errors if changed.context else changed
    newcomer.refresh_from_db()
    assert newcomer.has_role(Role.CONSULTANT) and not newcomer.is_superuser and not newcomer.is_staff
    assert client.get(f"/admin/core/user/{superuser.pk}/change/").status_code in (302, 404), "a superuser's own"
    assert client.post(f"/admin/core/user/{newcomer.pk}/delete/", {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=newcomer.pk).exists(), "an account is closed (inactive), not deleted"


@pytest.mark.parametrize(
    "model", [model for model in MODELS if model._meta.app_label in OUR_APPS], ids=lambda model: model._meta.label
)
def test_every_admin_page_of_ours_and_its_inlines_follow_a_policy(model):
    """Who sees what in the admin comes from the policies the API and the dashboard use, not from Django's
    per-model permissions (which no role is given: such a page would be a superuser's alone)."""
    model_admin = admin.site._registry[model]

    assert isinstance(model_admin, PolicyAdmin)
    assert all(issubclass(inline, PolicyInline) for inline in model_admin.inlines)


def test_the_administrator_reads_the_system_trails_and_management_the_records_the_duties_keep(project, client):
    client.force_login(make_staff(Role.ADMINISTRATOR))
    for page in SYSTEM_TRAILS + MANAGEMENT_RECORDS:
        assert client.get(f"/admin/{page}/").status_code == 200, page

    client.force_login(make_staff(Role.CR_HEAD, projects=[project]))
    for page in MANAGEMENT_RECORDS:
        assert client.get(f"/admin/{page}/").status_code == 200, page
    for page in SYSTEM_TRAILS:
        assert client.get(f"/admin/{page}/").status_code == 403, page
    assert client.get("/admin/core/signinrecord/add/").status_code == 403
