"""Issue 12, point 7: the image carries only what production runs. requirements.lock pins the
runtime (pyproject's dependencies and everything they pull in) and no test tool;
requirements-test.lock adds the tools on top of it; the Dockerfile installs the runtime lock
only and leaves the tests out of the image."""

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
TEST_TOOLS = {"pytest", "pytest-django", "playwright", "hypothesis", "ruff", "pip-audit", "factory-boy",
              "time-machine", "django-zeal", "pypdfium2"}


def _pins(name: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            package, version = line.strip().split("==")
            pins[canonicalize_name(package)] = version
    return pins


def _runtime_closure() -> set[str]:
    """Every distribution pyproject's [project.dependencies] need, as installed here."""
    roots = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    seen: set[str] = set()
    stack = [Requirement(r) for r in roots]
    while stack:
        requirement = stack.pop()
        name = canonicalize_name(requirement.name)
        extras = set(requirement.extras)
        key = name + "[" + ",".join(sorted(extras)) + "]"
        if key in seen:
            continue
        seen.add(key)
        for text in metadata.distribution(requirement.name).requires or []:
            child = Requirement(text)
            if child.marker is not None and not any(child.marker.evaluate({"extra": e}) for e in (extras or {""})):
                continue
            stack.append(child)
    return {key.split("[")[0] for key in seen}


def test_the_runtime_lock_pins_every_runtime_dependency_and_no_test_tool():
    runtime = _pins("requirements.lock")
    assert _runtime_closure() <= set(runtime), sorted(_runtime_closure() - set(runtime))
    assert not TEST_TOOLS & set(runtime), sorted(TEST_TOOLS & set(runtime))
    assert runtime["pypdf"]  # joins the chunks of a long PDF at run time (appraisal/pdf_join.py)


def test_the_test_lock_includes_the_runtime_lock_and_adds_the_tools():
    text = (ROOT / "requirements-test.lock").read_text()
    assert re.search(r"^-r requirements\.lock$", text, re.M)
    tools = _pins("requirements-test.lock")
    assert TEST_TOOLS <= set(tools)
    assert not set(tools) & set(_pins("requirements.lock"))  # each pin in one file only
    for name, version in {**_pins("requirements.lock"), **tools}.items():
        assert metadata.version(name) == version, name  # the development venv is what the locks say


def test_the_image_installs_the_runtime_lock_only_and_leaves_the_tests_out():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install -r requirements.lock" in dockerfile
    assert "requirements-test.lock" not in re.sub(r"#.*", "", dockerfile)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert "tests/" in ignored and "requirements-test.lock" in ignored
