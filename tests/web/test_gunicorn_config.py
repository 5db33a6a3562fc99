"""gunicorn.conf.py: sized from the machine, overridable, recycles workers, refuses giants."""

import multiprocessing
import runpy
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def load(monkeypatch, **env: str) -> dict:
    for name in ("GUNICORN_WORKERS", "GUNICORN_TIMEOUT", "GUNICORN_MAX_REQUESTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_workers_follow_the_number_of_cores_unless_told_otherwise(monkeypatch):
    assert load(monkeypatch)["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert load(monkeypatch, GUNICORN_WORKERS="3")["workers"] == 3


def test_workers_are_recycled_at_different_moments_and_slow_requests_are_cut_off(monkeypatch):
    config = load(monkeypatch, GUNICORN_MAX_REQUESTS="500", GUNICORN_TIMEOUT="20")
    assert config["max_requests"] == 500
    assert config["max_requests_jitter"] > 0
    assert config["timeout"] == 20


def test_the_access_log_passes_the_personal_data_filter(monkeypatch):
    config = load(monkeypatch)
    handler = config["logconfig_dict"]["handlers"]["console"]
    assert handler["filters"] == ["redact"]
    assert config["logconfig_dict"]["loggers"]["gunicorn.access"]["handlers"] == ["console"]
    assert config["limit_request_line"] <= 8190
