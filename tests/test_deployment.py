"""The production stack's files: docker-compose.yml validates with .env.example (Debian's
docker-compose checks it without a Docker engine) and keeps its promises: every service waits
for what it needs or reports its health, secrets come from the environment only, the worker
and the API scale, and the image bakes in no secret."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
SETTINGS = ROOT / "core" / "settings.py"
SECRETS = (
    "REDRESS_SECRET_KEY",
    "REDRESS_PAYLOAD_KEYS",
    "REDRESS_DB_PASSWORD",
    "TEMPORAL_DB_PASSWORD",
    "REDRESS_SMTP_PASSWORD",
)
ONE_SHOT = {"migrate", "temporal-schema", "temporal-namespace"}


def _compose(*args: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.fail(
            "docker-compose is not installed: `make test` installs it (scripts/test-env "
            "install), or `sudo apt-get install -y docker-compose`"
        )
    return subprocess.run(
        [binary, "-f", str(COMPOSE), "--env-file", str(ENV_EXAMPLE), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    """The stack as docker-compose resolves it with .env.example."""
    result = _compose("config")
    assert result.returncode == 0, result.stderr
    loaded: dict[str, Any] = yaml.safe_load(result.stdout)
    return loaded


def _example() -> dict[str, str]:
    pairs = (line.split("=", 1) for line in ENV_EXAMPLE.read_text().splitlines())
    return {k: v for k, v in (p for p in pairs if len(p) == 2) if not k.startswith("#")}


def test_compose_file_validates_quietly() -> None:
    result = _compose("config", "-q")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_a_missing_secret_stops_compose_with_its_name(tmp_path: Path) -> None:
    lines = ENV_EXAMPLE.read_text().splitlines()
    env = tmp_path / ".env"
    env.write_text("\n".join(x for x in lines if not x.startswith("REDRESS_SECRET_KEY=")))
    binary = shutil.which("docker-compose") or "docker-compose"
    result = subprocess.run(
        [binary, "-f", str(COMPOSE), "--env-file", str(env), "config", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "set REDRESS_SECRET_KEY in .env" in result.stderr


def test_every_service_reports_health_or_waits_for_a_condition(config: dict[str, Any]) -> None:
    for name, service in config["services"].items():
        conditions = [d.get("condition") for d in service.get("depends_on", {}).values()]
        assert "healthcheck" in service or (conditions and all(conditions)), name
        assert service.get("restart"), f"{name} has no restart policy"
    for name in ONE_SHOT:
        assert config["services"][name]["restart"].startswith("on-failure"), name


def test_the_application_waits_for_migrations_and_temporal(config: dict[str, Any]) -> None:
    for name in ("api", "worker"):
        depends = config["services"][name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["temporal-namespace"]["condition"] == "service_completed_successfully"
    assert config["services"]["migrate"]["command"] == ["migrate"]
    temporal = config["services"]["temporal"]["depends_on"]["temporal-schema"]
    assert temporal["condition"] == "service_completed_successfully"
    assert "/healthz" in " ".join(config["services"]["api"]["healthcheck"]["test"])


def test_worker_and_api_scale(config: dict[str, Any]) -> None:
    worker = config["services"]["worker"]
    assert "container_name" not in worker and "ports" not in worker
    api = config["services"]["api"]
    assert "container_name" not in api
    (published,) = api["ports"]
    # A range of host ports: each of `--scale api=N` replicas gets one.
    assert re.fullmatch(r"127\.0\.0\.1:\d+-\d+:8000(/tcp)?", published), published


def test_secrets_come_from_the_environment_only(config: dict[str, Any]) -> None:
    text = COMPOSE.read_text()
    example = _example()
    for name in SECRETS:
        assert example[name].startswith(("REPLACE-ME", "k1:REPLACE-ME")), name
        assert example[name] not in text, f"{name}'s value is written in docker-compose.yml"
        # Required: compose refuses to start without it rather than run on a default.
        assert re.search(r"\$\{" + name + r":\?", text), f"{name} is not required"
    api_env = config["services"]["api"]["environment"]
    assert api_env["REDRESS_SECRET_KEY"] == example["REDRESS_SECRET_KEY"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    for name in SECRETS + ("REDRESS_SMTP_USERNAME",):
        assert name not in dockerfile, f"the image sets {name}"
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert ".env" in ignored and "var" in ignored


def test_env_example_names_only_settings_that_exist() -> None:
    fields = set(re.findall(r"^    (\w+): ", SETTINGS.read_text(), re.MULTILINE))
    compose_only = {"REDRESS_DB_PASSWORD", "REDRESS_API_PORTS"}
    for name in _example():
        if name.startswith("REDRESS_") and name not in compose_only:
            assert name.removeprefix("REDRESS_").lower() in fields, name


def test_volumes_keep_databases_and_documents(config: dict[str, Any]) -> None:
    services = config["services"]
    assert set(config["volumes"]) == {"redress-db", "temporal-db", "redress-data"}
    for name in ("api", "worker"):
        assert "redress-data:/var/lib/redress:rw" in services[name]["volumes"]
        assert services[name]["environment"]["REDRESS_DATA_DIR"] == "/var/lib/redress"
    for name, volume in (("postgres", "redress-db"), ("temporal-postgresql", "temporal-db")):
        assert f"{volume}:/var/lib/postgresql/data:rw" in services[name]["volumes"]
