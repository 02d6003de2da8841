"""The admin is the configuration screen: every model has a working page, governed by roles."""

import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def test_every_admin_list_reads_as_many_statements_for_a_hundred_rows_as_for_one(superuser, client, monkeypatch):
    """A list's column naming a related record (a return visit's repair order, a department's head) is read with
    the list, not by a statement a row: on a company's hundreds of thousands of rows the admin is a page of
    statements otherwise."""
    call_command("seed_demo", "--force", stdout=io.StringIO())
    call_command("generate_load", "--customers", "300", "--seed", "7", "--as-of", "2026-12-01", stdout=io.StringIO())
    client.force_login(superuser)
    client.get("/admin/")  # (the first page of a session also reads what the session keeps)
    checked, grew = set(), []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS or model._default_manager.count() < 2:
            continue
        statements = []
        for rows in (1, 100):
            monkeypatch.setattr(model_admin, "list_per_page", rows)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/").status_code == 200
            statements.append(len(queries))
        checked.add(model._meta.label)
        if statements[0] != statements[1]:
            grew.append(f"{model._meta.label}: {statements[0]} statements for one row, {statements[1]} for a page")

    assert not grew, "\n".join(grew)
    assert {"core.Department", "complaints.ReturnVisit", "complaints.Defect", "complaints.Complaint"} <= checked


def test_a_projects_admin_page_reads_its_buildings_in_as_many_statements_for_ten_as_for_one(superuser, client, project):
    client.force_login(superuser)
    page = f"/admin/estates/project/{project.pk}/change/"
    client.get(page)  # (the first page of a session also reads what the session keeps)
    statements = []
    for buildings in (1, 9):
        BuildingFactory.create_batch(buildings, project=project)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        statements.append(len(queries))

    assert statements[0] == statements[1]


# What an admin form may offer as a drop-down: catalogues and the company's projects, a few hundred rows at most.
# Staff are picked from a list searched as one types; every other record (customers, units, defects, planned
# actions) is given by its number, with the admin's search beside it.
CATALOGUES = {
    "estates.Company",
    "estates.Project",
    "estates.ComponentType",
    "core.Department",
    "complaints.ComplaintCategory",
    "surveys.Questionnaire",
    "touchpoints.Step",
    "touchpoints.Action",
}


def test_no_admin_form_offers_a_drop_down_of_every_record_of_a_table_that_grows(rf, superuser):
    from django import forms
    from django.contrib.admin import widgets

    request = rf.get("/admin/")
    request.user = superuser
    offered = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS:
            continue
        writes = model_admin.has_change_permission(request) or model_admin.has_add_permission(request)
        editable = [(model._meta.label, model_admin.get_form(request))] if writes else []  # (else shown as text)
        editable += [
            (f"{model._meta.label} · {type(inline).__name__}", inline.get_formset(request).form)
            for inline in model_admin.get_inline_instances(request)
            if inline.has_change_permission(request) or inline.has_add_permission(request, None)
        ]
        for page, form in editable:
            for name, field in form.base_fields.items():
                if not isinstance(field, forms.ModelChoiceField) or field.disabled:
                    continue
                widget = getattr(field.widget, "widget", field.widget)
                if isinstance(widget, (widgets.ForeignKeyRawIdWidget, widgets.AutocompleteMixin, forms.HiddenInput)):
                    continue
                chosen_from = field.queryset.model._meta.label
                if chosen_from not in CATALOGUES:
                    offered.append(f"{page}.{name}: every {chosen_from} in a {type(widget).__name__}")

    assert not offered, "\n".join(offered)


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


def _search_staff(client, form: str, field: str, term: str):
    app_label, model_name = form.split(".")
    return client.get(
        "/admin/autocomplete/",
        {"app_label": app_label, "model_name": model_name, "field_name": field, "term": term},
    )


def test_a_head_finds_colleagues_by_name_on_the_forms_they_keep_but_not_the_staff_list(project, client, superuser):
    """The crisis team and a repair's assignee name colleagues: the head, who keeps those forms but not the
    staff list, searches them by name (Django's admin asks to read the staff list for that), and finds those who
    can still act."""
    from complaints.models import ComplaintSettings

    head = make_staff(Role.CR_HEAD, projects=[project])
    engineer = make_staff(Role.ENGINEERING, projects=[project], display_name="王工程")
    make_staff(Role.ENGINEERING, projects=[project], display_name="王离职", is_active=False)
    settings = ComplaintSettings.objects.create(company=project.company)
    client.force_login(head)

    page = client.get(f"/admin/complaints/complaintsettings/{settings.pk}/change/").text
    crisis_team = _search_staff(client, "complaints.complaintsettings", "crisis_team", "王")
    assignee = _search_staff(client, "complaints.repairorder", "assignee", "王工")

    assert 'name="crisis_team"' in page and "admin-autocomplete" in page and "王工程" not in page
    assert crisis_team.status_code == 200
    assert [found["text"] for found in crisis_team.json()["results"]] == ["王工程"]
    assert assignee.json()["results"] == [{"id": str(engineer.pk), "text": "王工程"}]
    assert _search_staff(client, "complaints.complaintsettings", "crisis_team", "root").json()["results"] == []
    assert client.get("/admin/core/user/").status_code == 403


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ("core.department", "head"),  # a form the head may read, not keep (the administrator's)
        ("touchpoints.outboundmessage", "created_by"),  # a trail the system writes: no one fills it in
    ],
)
def test_staff_are_not_searched_through_a_form_the_user_does_not_keep(project, client, form, field):
    make_staff(Role.ENGINEERING, projects=[project], display_name="王工程")
    client.force_login(make_staff(Role.CR_HEAD, projects=[project]))

    assert _search_staff(client, form, field, "王").status_code == 403


def test_staff_are_not_searched_by_those_outside_the_admin(project, client):
    make_staff(Role.ENGINEERING, projects=[project], display_name="王工程")
    client.force_login(make_staff(Role.CUSTOMER_SERVICE, projects=[project]))

    response = _search_staff(client, "complaints.repairorder", "assignee", "王")

    assert response.status_code == 302 and "/admin/login/" in response.url


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
