"""With DEBUG off every page looks its CSS and scripts up in the manifest
(staticfiles.json) that only a DEBUG-off `collectstatic` writes; without it every page is
a 500 (issue #14). The deployment instructions, the Dockerfile and the README's production
steps, build the static files as written, and the portal then serves the sign-in page and
its hashed stylesheet with DEBUG off. `scripts/smoke-production` (run by CI) does the same
through gunicorn."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SERVE_SIGN_IN_PAGE = """
import json, re, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
page = client.get("/accounts/login/")
found = re.findall(r'href="(/static/[^"]+[.][0-9a-f]{12}[.]css)"', page.content.decode())
css = client.get(found[0]) if found else None
print(json.dumps({"page": page.status_code, "stylesheets": found,
                  "css": css.status_code if css else None}))
"""


def dockerfile_collectstatic() -> str:
    """The shell command in the Dockerfile that builds the static files."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    run = next(
        line for line in text.splitlines() if line.startswith("RUN ") and "collectstatic" in line
    )
    return next(part for part in run[4:].split("&&") if "collectstatic" in part).strip()


def readme_production_steps() -> list[str]:
    """The commands of the README's "Running with PostgreSQL, Redis, a worker and beat"."""
    section = (ROOT / "README.md").read_text().split("## Running with PostgreSQL")[1]
    block = section.split("```sh\n")[1].split("```")[0]
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


def readme_collectstatic() -> str:
    steps = readme_production_steps()
    collect = [i for i, step in enumerate(steps) if "manage.py collectstatic" in step]
    gunicorn = next(i for i, step in enumerate(steps) if "gunicorn" in step)
    assert collect, "the README's production steps never run collectstatic"
    assert collect[0] < gunicorn, "the README starts gunicorn before collectstatic"
    return steps[collect[0]].replace(".venv/bin/python", "python")


def build_static(command: str, static_root: Path, **env) -> None:
    """Run the instructions' command as written, with this virtualenv's python first on
    PATH, and only the environment that the instructions give it."""
    build_env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": os.environ.get("HOME", "/tmp"),
        "STATIC_ROOT": str(static_root),
        "DATABASE_URL": f"sqlite:///{static_root.parent / 'unused.sqlite3'}",
        **env,
    }
    result = subprocess.run(
        ["sh", "-c", command], cwd=ROOT, env=build_env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


def serve_with_debug_off(static_root: Path) -> dict:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "testserver",
        "HTTPS": "false",
        "STATIC_ROOT": str(static_root),
        "DATABASE_URL": f"sqlite:///{static_root.parent / 'unused.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", SERVE_SIGN_IN_PAGE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def assert_served(static_root: Path) -> None:
    assert (static_root / "staticfiles.json").is_file(), "no manifest: not built with DEBUG off"
    served = serve_with_debug_off(static_root)
    assert served["page"] == 200, served
    assert served["stylesheets"], served
    assert served["css"] == 200, served


def test_the_docker_image_builds_static_files_that_the_debug_off_portal_serves(tmp_path):
    # The image build has no SECRET_KEY or DEBUG in its environment: the command brings
    # what it needs.
    build_static(dockerfile_collectstatic(), tmp_path / "static")
    assert_served(tmp_path / "static")


def test_the_readmes_production_steps_build_static_files_that_the_portal_serves(tmp_path):
    # What the README's .env gives every command (DEBUG unset, so off).
    readme_env = {"SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "127.0.0.1"}
    build_static(readme_collectstatic(), tmp_path / "static", **readme_env)
    assert_served(tmp_path / "static")
