"""compose.yaml, checked as far as a machine without a container engine can: the Compose
Specification's JSON schema (vendored and kept current by check-jsonschema), then our own rules
about what a deployment needs. The web health check is run for real against a live server."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "compose.yaml"
ENV_EXAMPLE = ROOT / ".env.example"
APP_SERVICES = ("migrate", "web", "worker")
# ${NAME}, ${NAME:-default}, ${NAME:?error}; "$$" is a literal dollar for the container's shell.
INTERPOLATION = re.compile(r"(?<!\$)\$\{([A-Z_][A-Z0-9_]*)")


def load_compose(text: str | None = None) -> dict:
    return YAML(typ="safe").load(text if text is not None else COMPOSE.read_text())


def schema_errors(path: Path) -> str:
    """check-jsonschema's verdict on a compose file; empty when it conforms."""
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec",
         str(path)],
        capture_output=True, text=True, check=False,
    )
    return "" if result.returncode == 0 else result.stdout + result.stderr


def documented_variables() -> set[str]:
    return {line.split("=", 1)[0].strip() for line in ENV_EXAMPLE.read_text().splitlines()
            if "=" in line and not line.lstrip().startswith("#")}


@pytest.fixture(scope="module")
def compose() -> dict:
    return load_compose()


def test_compose_yaml_conforms_to_the_compose_specification():
    assert schema_errors(COMPOSE) == ""


def test_the_schema_check_catches_a_misspelt_key_and_an_unknown_condition(tmp_path):
    broken = tmp_path / "compose.yaml"
    broken.write_text(
        COMPOSE.read_text()
        .replace("condition: service_completed_successfully", "condition: service_done", 1)
        .replace("    healthcheck:", "    helthcheck:", 1)
    )
    errors = schema_errors(broken)
    assert "helthcheck" in errors
    assert "service_done" in errors


def test_the_stack_has_web_worker_database_cache_and_a_one_off_migration(compose):
    assert set(compose["services"]) == {"db", "redis", "migrate", "web", "worker"}
    assert compose["services"]["db"]["image"] == "postgres:17"
    assert compose["services"]["migrate"]["command"][-2:] == ["migrate", "--noinput"]
    assert compose["services"]["migrate"]["restart"] == "no"
    assert compose["services"]["worker"]["command"] == ["python", "manage.py", "worker"]


def test_every_dependency_names_a_service_and_waits_for_the_right_moment(compose):
    services = compose["services"]
    for name, service in services.items():
        for dependency, rule in service.get("depends_on", {}).items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            target = services[dependency]
            if rule["condition"] == "service_healthy":
                assert "healthcheck" in target, f"{name} waits for health {dependency} lacks"
            if rule["condition"] == "service_completed_successfully":
                assert target.get("restart") == "no", f"{dependency} would never complete"


def test_web_and_worker_start_only_after_the_migration_succeeded(compose):
    for name in ("web", "worker"):
        depends_on = compose["services"][name]["depends_on"]
        assert depends_on["migrate"] == {"condition": "service_completed_successfully"}
        assert depends_on["db"] == {"condition": "service_healthy"}


def test_every_service_has_a_healthcheck_or_says_why_not(compose):
    for name, service in compose["services"].items():
        reason = service.get("x-no-healthcheck", "")
        assert "healthcheck" in service or len(reason.split()) >= 5, name


def test_the_app_services_share_one_image_one_env_file_and_the_media_volume(compose):
    services = compose["services"]
    for name in APP_SERVICES:
        service = services[name]
        assert service["image"] == services["web"]["image"]
        assert service["env_file"] == ".env"
        assert service["environment"]["DJANGO_DEBUG"] == "false"
        assert service["environment"]["DATABASE_URL"].startswith("postgres://")
        assert "@db:5432/" in service["environment"]["DATABASE_URL"]
        assert service["environment"]["REDIS_URL"].startswith("redis://redis:6379/")
        media = service["environment"]["DJANGO_MEDIA_ROOT"]
        assert f"media:{media}" in service["volumes"]


def test_every_named_volume_is_declared(compose):
    declared = set(compose["volumes"])
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if not source.startswith((".", "/")):
                assert source in declared


def test_every_variable_compose_reads_or_sets_is_documented_in_env_example(compose):
    used = set(INTERPOLATION.findall(COMPOSE.read_text()))
    for name in APP_SERVICES:
        used |= set(compose["services"][name]["environment"])
    assert used - documented_variables() == set()


def test_the_web_port_is_published_on_loopback_only_for_the_tls_proxy(compose):
    ports = compose["services"]["web"]["ports"]
    assert all(port.startswith("127.0.0.1:") for port in ports)
    assert all(port.endswith(":8000") for port in ports)


@pytest.mark.django_db(transaction=True)
def test_the_web_healthcheck_command_passes_against_a_running_site(compose, live_server):
    command = compose["services"]["web"]["healthcheck"]["test"]
    assert command[:3] == ["CMD", "python", "-c"]
    script = command[3].replace("127.0.0.1:8000", live_server.url.removeprefix("http://"))
    environment = {**os.environ, "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1"}
    result = subprocess.run([sys.executable, "-c", script], env=environment,
                            capture_output=True, text=True, check=False, timeout=30)
    assert result.returncode == 0, result.stderr


def test_the_web_healthcheck_fails_when_the_site_does_not_answer(compose):
    from tests.smtp_server import free_port

    script = compose["services"]["web"]["healthcheck"]["test"][3]
    script = script.replace("127.0.0.1:8000", f"127.0.0.1:{free_port()}")
    environment = {**os.environ, "DJANGO_ALLOWED_HOSTS": "localhost"}
    result = subprocess.run([sys.executable, "-c", script], env=environment,
                            capture_output=True, text=True, check=False, timeout=30)
    assert result.returncode != 0
