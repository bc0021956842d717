"""Imports point the way DESIGN §2 says: parse every module with ast."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FEATURES = ("quizzes", "practice_cases", "sandbox")


def imported_modules(path: Path) -> set[str]:
    """Return every absolute module name a file imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            names.add(mod)
            names.update(f"{mod}.{alias.name}" for alias in node.names)
    return names


def top(name: str) -> str:
    return name.split(".", 1)[0]


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py")) if (ROOT / package).is_dir() else []


def violations(package: str, allowed) -> list[str]:
    found = []
    for path in modules(package):
        rel = path.relative_to(ROOT).as_posix()
        for name in imported_modules(path):
            reason = allowed(rel, name)
            if reason:
                found.append(f"{rel} imports {name}: {reason}")
    return found


def lms_rule(rel: str, name: str) -> str | None:
    if rel == "lms/app.py":
        return None
    if top(name) in FEATURES:
        return "lms must not import feature packages (only lms/app.py wires them)"
    return None


def sandbox_rule(rel: str, name: str) -> str | None:
    if top(name) in ("quizzes", "practice_cases"):
        return "sandbox imports only lms.core"
    if top(name) == "lms" and not (name == "lms" or name == "lms.core" or name.startswith("lms.core.")):
        return "sandbox imports only lms.core"
    return None


def feature_rule(rel: str, name: str) -> str | None:
    if top(name) == "sandbox" and not (name == "sandbox" or name == "sandbox.services" or name.startswith("sandbox.services.")):
        return "quizzes/practice_cases reach the sandbox only through sandbox.services"
    return None


def test_architecture_lms_never_imports_feature_packages():
    assert violations("lms", lms_rule) == []


def test_architecture_sandbox_imports_only_lms_core():
    assert violations("sandbox", sandbox_rule) == []


@pytest.mark.parametrize("package", ["quizzes", "practice_cases"])
def test_architecture_features_reach_sandbox_only_through_services(package):
    assert violations(package, feature_rule) == []


def test_architecture_every_module_parses():
    paths = [p for pkg in ("lms", *FEATURES) for p in modules(pkg)]
    assert len(paths) > 20
    for path in paths:
        ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


# The checker itself must be able to fail, or the tests above prove nothing.

def test_architecture_checker_flags_lms_importing_quizzes():
    assert lms_rule("lms/accounts/services.py", "quizzes.models")
    assert lms_rule("lms/app.py", "quizzes") is None


def test_architecture_checker_flags_sandbox_importing_accounts():
    assert sandbox_rule("sandbox/models.py", "lms.accounts.models")
    assert sandbox_rule("sandbox/models.py", "lms.core.db") is None


def test_architecture_checker_flags_practice_cases_importing_sandbox_models():
    assert feature_rule("practice_cases/services.py", "sandbox.models")
    assert feature_rule("practice_cases/services.py", "sandbox.services") is None


def test_architecture_relative_imports_are_resolved(tmp_path, monkeypatch):
    pkg = ROOT / "lms" / "accounts" / "services.py"
    names = imported_modules(pkg)
    assert any(n.startswith("lms.") for n in names)
