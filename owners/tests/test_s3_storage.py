"""Uploaded files on S3-compatible storage (issue 15): with FILE_STORAGE=s3 an owner's repair photo goes into the
bucket and customer service sees it from there, through the same storage API as on the local disk. Against a
local S3 emulator (moto's server mode), not a mock of our code."""

import io
import socket

import pytest
from PIL import Image

from complaints.models import RepairPhoto
from core.roles import Role

from .conftest import image_file
from .test_repairs import report

BUCKET = "crm-uploads"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3_bucket(settings):
    boto3 = pytest.importorskip("boto3", reason="S3 storage needs boto3 (requirements.txt)")
    moto_server = pytest.importorskip("moto.server", reason="the S3 emulator needs moto[server] (requirements.txt)")
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test", "region_name": "us-east-1"}
    client = boto3.client("s3", endpoint_url=endpoint, **credentials)
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "file_overwrite": False,
                "default_acl": None,
            },
        },
    }
    yield client
    server.stop()


def test_a_repair_photo_is_kept_in_the_bucket_and_shown_to_staff_from_it(
    s3_bucket, owner_api, owner_customer, owner_unit, staff, browser, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path  # nothing may land on the local disk
    assert report(owner_api(owner_customer), owner_unit, photos=[image_file()]).status_code == 201

    photo = RepairPhoto.objects.get()
    stored = s3_bucket.list_objects_v2(Bucket=BUCKET)["Contents"]
    assert [item["Key"] for item in stored] == [photo.image.name]
    assert not any(tmp_path.iterdir()), "the photo went to the bucket, not the disk"

    shown = browser(staff[Role.CUSTOMER_SERVICE]).get(f"/complaints/repairs/{photo.repair_order_id}/photos/{photo.pk}/")
    assert shown.status_code == 200
    assert Image.open(io.BytesIO(b"".join(shown.streaming_content))).format == "JPEG"


def test_the_setting_selects_the_bucket(tmp_path):
    import json
    import os
    import subprocess
    import sys

    from django.conf import settings as django_settings

    environment = {
        **os.environ,
        "FILE_STORAGE": "s3",
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": "http://127.0.0.1:9",
        "S3_REGION": "cn-north-1",
    }
    environment.pop("DATABASE_URL", None)
    shown = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "import json; from django.core.files.storage import storages; s = storages['default']; "
            "print(json.dumps([type(s).__name__, s.bucket_name, s.endpoint_url, s.region_name]))",
        ],
        cwd=django_settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(shown.stdout.strip().splitlines()[-1]) == [
        "S3Storage",
        BUCKET,
        "http://127.0.0.1:9",
        "cn-north-1",
    ]
