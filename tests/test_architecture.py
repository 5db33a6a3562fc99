"""The house keeps its rooms: each capability a package that says what it owns, arrows one way."""

import importlib
import pkgutil
from pathlib import Path

from importlinter.cli import lint_imports

import advisor

ROOT = Path(__file__).resolve().parents[1]


def test_the_rooms_only_use_the_rooms_below_them():
    # The contracts live in pyproject.toml ([tool.importlinter]); 0 means every one is kept.
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def test_every_room_says_in_its_docstring_what_it_owns():
    rooms = [info.name for info in pkgutil.iter_modules(advisor.__path__) if info.ispkg
             and info.name not in {"migrations", "management"}]
    assert len(rooms) >= 8
    for room in rooms:
        docstring = importlib.import_module(f"advisor.{room}").__doc__
        assert docstring and docstring.strip(), f"advisor/{room}/__init__.py has no docstring"
