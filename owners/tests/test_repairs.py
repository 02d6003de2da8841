"""Reporting a repair: unit and component with its warranty, photos checked by content, received through the
complaints intake (channel owner portal, C1 duplicate check, C5 receipt and clocks)."""

import io
import struct

import pytest
from PIL import Image

from complaints.choices import Channel, ClockKind
from complaints.models import Complaint, RepairOrder, RepairPhoto
from touchpoints.models import OutboundMessage

from .conftest import image_file


def report(api, unit, component=None, photos=(), **extra):
    data = {"unit": unit.pk, "description": "卫生间地漏返水", "preferred_times": ["周末上午"], **extra}
    if component:
        data["component_type"] = component.pk
    if photos:
        data["photos"] = list(photos)
    return api.post("/api/v1/owner/repairs/", data, format="multipart")


@pytest.mark.rule("C1")
def test_a_repair_is_received_from_the_owner_portal_with_its_clocks_and_receipt(
    owner_api, owner_customer, owner_unit, component
):
    api = owner_api(owner_customer)

    answer = report(api, owner_unit, component, photos=[image_file()])

    assert answer.status_code == 201, answer.json()
    order = RepairOrder.objects.get()
    assert (order.unit, order.customer, order.component_type) == (owner_unit, owner_customer, component)
    assert order.in_warranty is True  # delivered 2025-06-01, 60 months
    complaint = order.complaint
    assert complaint.channel == Channel.OWNER_PORTAL and complaint.received_by is None
    assert complaint.clocks.filter(kind=ClockKind.RESPONSE).exists()
    assert OutboundMessage.objects.filter(customer=owner_customer, purpose="complaint:complaint_received").exists()
    body = answer.json()
    assert body["status"] == "received" and body["reply_due"]
    assert len(body["photos"]) == 1 and "周末上午" in body["description"]


@pytest.mark.rule("C1")
def test_an_open_request_about_the_same_home_is_shown_before_another_is_sent(owner_api, owner_customer, owner_unit):
    api = owner_api(owner_customer)
    first = report(api, owner_unit).json()

    again = report(api, owner_unit)

    assert again.status_code == 400
    assert again.json()["code"] == "possible_duplicates"
    assert report(api, owner_unit, confirm_duplicates=True).status_code == 201
    assert RepairOrder.objects.count() == 2 and first["id"]


def test_a_photo_is_stored_without_its_exif(owner_api, owner_customer, owner_unit):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = "Camera software 1.0"  # Software
    api = owner_api(owner_customer)

    upload = image_file(exif=exif.tobytes())
    assert Image.open(upload).getexif()[0x010F] == "PhoneMaker"
    upload.seek(0)
    assert report(api, owner_unit, photos=[upload]).status_code == 201

    photo = RepairPhoto.objects.get()
    with photo.image.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert image.format == "JPEG"
        assert not image.getexif()
    assert photo.image.name.startswith("repair-photos/") and "photo" not in photo.image.name.rsplit("/", 1)[-1]


def test_a_png_is_accepted_and_kept_as_png(owner_api, owner_customer, owner_unit):
    api = owner_api(owner_customer)
    assert report(api, owner_unit, photos=[image_file("PNG")]).status_code == 201
    assert RepairPhoto.objects.get().content_type == "image/png"


def test_a_heic_photo_from_an_iphone_is_accepted_and_kept_as_jpeg(owner_api, owner_customer, owner_unit):
    pytest.importorskip("pillow_heif", reason="HEIC needs pillow-heif (requirements.txt)")
    answer = report(owner_api(owner_customer), owner_unit, photos=[image_file("HEIF", name="IMG_0001.HEIC")])

    assert answer.status_code == 201, answer.json()
    photo = RepairPhoto.objects.get()
    assert photo.content_type == "image/jpeg" and photo.image.name.endswith(".jpg")
    with photo.image.open("rb") as stored:
        assert Image.open(io.BytesIO(stored.read())).format == "JPEG"


@pytest.mark.parametrize(
    "upload, code",
    [
        (lambda: _named(b"%PDF-1.4 not a photo", "photo.jpg"), "photo_format"),
        (lambda: image_file("GIF", name="photo.jpg"), "photo_format"),
        (lambda: _named(b"\xff\xd8\xff\xe0" + b"\x00" * 200, "broken.jpg"), "photo_format"),
    ],
)
def test_files_that_are_not_photos_are_refused_by_their_content(owner_api, owner_customer, owner_unit, upload, code):
    answer = report(owner_api(owner_customer), owner_unit, photos=[upload()])

    assert answer.status_code == 400 and answer.json()["code"] == code
    assert not RepairOrder.objects.exists() and not Complaint.objects.exists()  # nothing half-written


def test_a_photo_over_the_size_limit_is_refused(owner_api, owner_customer, owner_unit, settings):
    settings.REPAIR_PHOTO_MAX_BYTES = 100
    answer = report(owner_api(owner_customer), owner_unit, photos=[image_file(size=(200, 200))])
    assert answer.status_code == 400 and answer.json()["code"] == "photo_too_large"


def test_a_decompression_bomb_is_refused_before_it_is_decoded(owner_api, owner_customer, owner_unit):
    answer = report(owner_api(owner_customer), owner_unit, photos=[_png_header_claiming(60_000, 60_000)])
    assert answer.status_code == 400 and answer.json()["code"] == "photo_too_many_pixels"
    assert not RepairPhoto.objects.exists()


def test_at_most_six_photos(owner_api, owner_customer, owner_unit):
    answer = report(owner_api(owner_customer), owner_unit, photos=[image_file() for _ in range(7)])
    assert answer.status_code == 400
    assert not RepairOrder.objects.exists()


def test_the_portal_form_reports_a_repair_with_a_photo(owner_web, owner_customer, owner_unit, component):
    client = owner_web(owner_customer)
    page = client.get("/owner/repairs/new/")
    assert page.status_code == 200 and component.name in page.content.decode()

    answer = client.post(
        "/owner/repairs/new/",
        {
            "unit": owner_unit.pk,
            "component_type": component.pk,
            "description": "热水器不出热水",
            "preferred_times": ["weekday_evening"],
            "photos": [image_file()],
        },
    )

    order = RepairOrder.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/owner/repairs/{order.pk}/"
    detail = client.get(answer["Location"]).content.decode()
    assert f"/owner/repairs/{order.pk}/photos/{order.photos.get().pk}/" in detail
    assert client.get(f"/owner/repairs/{order.pk}/photos/{order.photos.get().pk}/").status_code == 200


def test_the_portal_form_shows_a_refused_photo(owner_web, owner_customer, owner_unit):
    client = owner_web(owner_customer)
    answer = client.post(
        "/owner/repairs/new/",
        {"unit": owner_unit.pk, "description": "门锁坏了", "photos": [_named(b"not an image", "x.png")]},
    )
    assert answer.status_code == 200
    assert not RepairOrder.objects.exists()
    assert "errorlist" in answer.content.decode()


def _named(data: bytes, name: str):
    buffer = io.BytesIO(data)
    buffer.name = name
    return buffer


def _png_header_claiming(width: int, height: int):
    """A tiny PNG whose header claims an enormous image: decoding it would take gigabytes."""
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 10))
        + chunk(b"IEND", b"")
    )
    return _named(data, "bomb.png")
