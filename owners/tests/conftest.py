import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from estates.tests.factories import ComponentTypeFactory
from members.tests.factories import CustomerFactory, PurchaseFactory
from touchpoints.models import OutboundMessage

from .. import services
from ..auth import COOKIE
from ..choices import SessionKind


@pytest.fixture
def owner_customer(project):
    customer = CustomerFactory(project=project, mobile="+8613912345678")
    PurchaseFactory(customer=customer, status="delivered", delivered_on=datetime.date(2025, 6, 1))
    return customer


@pytest.fixture
def owner_unit(owner_customer):
    return owner_customer.purchases.get().unit


@pytest.fixture
def other_owner(project):
    customer = CustomerFactory(project=project, mobile="+8613700001111")
    PurchaseFactory(customer=customer, status="delivered", delivered_on=datetime.date(2025, 6, 1))
    return customer


@pytest.fixture
def component():
    return ComponentTypeFactory(name="卫生间防水", default_warranty_months=60)


def last_code(mobile) -> str:
    """The code as the owner reads it on their phone: from the outbox message."""
    import re

    message = OutboundMessage.objects.filter(customer__mobile=mobile, purpose__startswith="requested:").latest("pk")
    return re.search(r"\d{6}", message.body).group(0)


@pytest.fixture
def owner_api():
    """An owner API client signed in through the real SMS-code flow."""

    def sign_in(customer):
        services.request_code(mobile=str(customer.mobile), client_address=None)
        outcome = services.sign_in(mobile=str(customer.mobile), code=last_code(customer.mobile), kind=SessionKind.API)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {outcome.token}")
        return client

    return sign_in


@pytest.fixture
def owner_web(client):
    """The portal in a browser-like client, signed in with the owner's cookie."""

    def sign_in(customer):
        token, _session = services.start_session(mobile=str(customer.mobile), kind=SessionKind.WEB)
        client.cookies[COOKIE] = token
        return client

    return sign_in


def image_file(fmt="JPEG", size=(40, 30), name=None, exif=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, fmt, **kwargs)
    return SimpleUploadedFile(name or f"photo.{fmt.lower()}", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
