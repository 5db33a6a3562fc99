"""The Dockerfile's build steps, run without Docker (this machine has no container engine).

Marked `image_build`: it creates a virtualenv in a temporary folder, installs the project into
it as `pip install .` does in the image (from a copy of the files the image copies), and then
runs the Dockerfile's own `manage.py` build commands, read from the Dockerfile, with production
settings. It takes about a minute; pip reuses its cache of downloaded wheels.
"""

import os
import re
import shlex
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

# Standalone: no database at all, so `make test-postgres` leaves it to `make test`.
pytestmark = [pytest.mark.image_build, pytest.mark.standalone]

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
# Left out of the image by .dockerignore, and never needed to build it.
NOT_COPIED = (".git", ".venv", "var", "staticfiles", "media", "__pycache__", ".pytest_cache",
              ".ruff_cache", ".env", ".hypothesis", "*.egg-info", "build",
              # Compiled catalogues: the build must make them itself.
              "*.mo")


def dockerfile_manage_commands() -> list[tuple[dict[str, str], list[str]]]:
    """(environment, argv) of each `python manage.py ...` in the Dockerfile's RUN steps."""
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    commands = []
    for line in text.splitlines():
        if not line.startswith("RUN "):
            continue
        for part in line.removeprefix("RUN ").split("&&"):
            words = shlex.split(part)
            assignments = [w for w in words if re.fullmatch(r"[A-Z_]+=.*", w)]
            argv = words[len(assignments):]
            if argv[:2] == ["python", "manage.py"]:
                commands.append((dict(a.split("=", 1) for a in assignments), argv[1:]))
    return commands


def dockerfile_env() -> dict[str, str]:
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    match = re.search(r"^ENV (.+)$", text, re.MULTILINE)
    return dict(word.split("=", 1) for word in shlex.split(match.group(1)))


def test_the_dockerfile_build_commands_are_found():
    argvs = [argv for _, argv in dockerfile_manage_commands()]
    assert ["manage.py", "compilemessages", "--ignore=.venv", "-v0"] in argvs
    assert ["manage.py", "collectstatic", "--noinput", "-v0"] in argvs
    assert dockerfile_env()["DJANGO_DEBUG"] == "false"


def test_the_image_build_steps_succeed_in_a_fresh_virtualenv(tmp_path):
    app = tmp_path / "app"
    shutil.copytree(ROOT, app, ignore=shutil.ignore_patterns(*NOT_COPIED))
    venv.create(tmp_path / "venv", with_pip=True)
    python = tmp_path / "venv" / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "."], cwd=app, check=True, timeout=600)

    # Production settings as in the image: DEBUG off, no .env, files inside the copy.
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    environment |= dockerfile_env() | {"PATH": f"{python.parent}:{environment['PATH']}"}
    for command_environment, argv in dockerfile_manage_commands():
        subprocess.run([python, *argv], cwd=app, env=environment | command_environment,
                       check=True, timeout=300)

    # The project was installed into the new virtualenv, not borrowed from this one.
    installed = subprocess.check_output(
        [python, "-c", "import advisor; print(advisor.__file__)"], cwd=tmp_path, text=True)
    assert installed.startswith(str(tmp_path / "venv"))
    assert (app / "locale" / "nl" / "LC_MESSAGES" / "django.mo").stat().st_size > 0
    manifest = app / "staticfiles" / "staticfiles.json"
    assert manifest.exists()  # WhiteNoise's manifest: production static storage was used
    assert any((app / "staticfiles" / "css").glob("*.css.gz"))
