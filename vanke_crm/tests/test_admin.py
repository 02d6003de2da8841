"""The admin is the configuration screen: every model has a working page, governed by roles."""

import pytest
from django.contrib import admin

from core.roles import Role
from core.testing import make_staff
from estates.tests.factories import BuildingFactory, UnitFactory
from members.tests.factories import CustomerFactory

MODELS = list(admin.site._registry)


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
