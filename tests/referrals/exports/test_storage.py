"""Generated files go through Django's storage API: local files by default, an
S3-compatible bucket (django-storages) when STORAGE_BACKEND says so."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PRINT_STORAGES = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.STORAGES['default']))"
)


def default_storage_with(**env_overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STORAGE_", "AWS_"))}
    env.update(DEBUG="true", DJANGO_SETTINGS_MODULE="config.settings", **env_overrides)
    result = subprocess.run(
        [sys.executable, "-c", PRINT_STORAGES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_files_are_kept_on_local_disk_by_default():
    assert default_storage_with() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_an_s3_compatible_bucket_is_used_when_configured():
    storage = default_storage_with(
        STORAGE_BACKEND="storages.backends.s3.S3Storage",
        AWS_STORAGE_BUCKET_NAME="portal-exports",
        AWS_S3_ENDPOINT_URL="https://objects.example.org",
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "portal-exports"
    assert storage["OPTIONS"]["endpoint_url"] == "https://objects.example.org"
    assert storage["OPTIONS"]["default_acl"] == "private"
