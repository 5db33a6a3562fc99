"""SECURITY.md names the test behind each protection: every test and test file it names exists,
so the map cannot point at a test that was renamed or removed."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECURITY = (ROOT / "SECURITY.md").read_text()
# `tests/web/test_served.py::test_x`, `tests/web/test_request_limits.py`, `test_x`
NAMED = re.compile(r"`((?:tests/[\w/]+\.py)?(?:::)?(test_\w+)?)`")


def defined_tests() -> dict[str, set[str]]:
    """Test function names per test file under tests/."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / "tests").rglob("test_*.py"):
        tree = ast.parse(path.read_text())
        found[path.relative_to(ROOT).as_posix()] = {
            node.name for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}
    return found


def named_in_security_md() -> list[tuple[str, str]]:
    """(file or "", test name or "") for every test reference in the document."""
    references = []
    for match in NAMED.finditer(SECURITY):
        reference = match.group(1)
        if not reference:
            continue
        path, _, name = reference.partition("::")
        if path.startswith("test_"):
            path, name = "", path
        references.append((path, name))
    return references


def test_security_md_names_tests():
    assert len(named_in_security_md()) > 80


def test_every_test_named_in_security_md_exists():
    tests = defined_tests()
    everywhere = set().union(*tests.values())
    missing = []
    for path, name in named_in_security_md():
        if path and path not in tests:
            missing.append(path)
        elif path and name and name not in tests[path]:
            missing.append(f"{path}::{name}")
        elif not path and name not in everywhere:
            missing.append(name)
    assert missing == []
