"""Imports point one way (DESIGN.md §2): parse every module and refuse the wrong direction.

Relative imports are resolved too, and every module must parse.
"""

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("lms", "quizzes", "practice_cases", "sandbox")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append(node.module)
    return out


def _modules(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        yield path.relative_to(ROOT).as_posix(), _imports(path)


def _top(name: str) -> str:
    return name.split(".")[0]


def test_lms_imports_no_feature_package_except_in_app_py():
    bad = [(mod, imp) for mod, imps in _modules("lms") for imp in imps
           if _top(imp) in ("quizzes", "practice_cases", "sandbox") and mod != "lms/app.py"]
    assert bad == []


def test_sandbox_imports_only_lms_core_and_lms_hud():
    bad = [(mod, imp) for mod, imps in _modules("sandbox") for imp in imps
           if _top(imp) in ("quizzes", "practice_cases")
           or (_top(imp) == "lms" and not imp.startswith(("lms.core", "lms.hud")))]
    assert bad == []


def test_quizzes_and_practice_cases_read_the_sandbox_only_through_services():
    bad = [(mod, imp) for pkg in ("quizzes", "practice_cases") for mod, imps in _modules(pkg) for imp in imps
           if _top(imp) == "sandbox" and imp != "sandbox.services"]
    assert bad == []


def test_lms_core_imports_no_feature_of_lms_not_even_inside_a_function():
    """The core is the bottom layer: auth, accounts and orgs build on it and register their own hooks."""
    bad = []
    for path in sorted((ROOT / "lms" / "core").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            bad += [(path.name, n) for n in names if n.startswith("lms.") and not n.startswith("lms.core")]
    assert bad == []


def test_the_checker_sees_a_wrong_import(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text("from sandbox.models import Client\nimport lms.accounts\n")
    assert _imports(sample) == ["sandbox.models", "lms.accounts"]


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


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def sandbox_rule(rel: str, name: str) -> str | None:
    if top(name) in ("quizzes", "practice_cases"):
        return "sandbox imports only lms.core and lms.hud"
    if top(name) == "lms" and not (name == "lms" or _within(name, "lms.core") or _within(name, "lms.hud")):
        return "sandbox imports only lms.core and lms.hud"
    return None


STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}


def hud_rule(rel: str, name: str) -> str | None:
    """lms.hud is pure: the standard library and itself, nothing else (not Flask, not SQLAlchemy, not lms.core)."""
    if _within(name, "lms.hud") or name == "lms" or top(name) in STDLIB:
        return None
    return "lms.hud imports only the standard library"


def feature_rule(rel: str, name: str) -> str | None:
    if top(name) == "sandbox" and not (name == "sandbox" or name == "sandbox.services" or name.startswith("sandbox.services.")):
        return "quizzes/practice_cases reach the sandbox only through sandbox.services"
    return None


def test_architecture_lms_never_imports_feature_packages():
    assert violations("lms", lms_rule) == []


def test_architecture_sandbox_imports_only_lms_core_and_lms_hud():
    assert violations("sandbox", sandbox_rule) == []


def test_architecture_lms_hud_imports_only_the_standard_library_not_even_inside_a_function():
    paths = modules("lms/hud")
    assert len(paths) >= 8
    assert violations("lms/hud", hud_rule) == []


@pytest.mark.parametrize("package", ["lms/orgs", "sandbox", "practice_cases"])
def test_architecture_hud_knowledge_is_read_from_lms_hud(package):
    readers = [p for p in modules(package) if any(_within(n, "lms.hud") for n in imported_modules(p))]
    assert readers, f"{package} should read HUD's lists from lms.hud"


#: Strings only a copy of HUD's lists would hold (project types, a funder, a row of the CSV column list);
#: a practice case's story may name a single answer ("Rental by client ..."), so answers alone are not marks.
HUD_FINGERPRINTS = ("Emergency Shelter - Night-by-Night", "PH - Housing with Services (no disability required",
                    "HHS: RHY - Basic Center Program", "VADisabilityNonServiceAmount,")
#: The project's own source (tests and HUD's package excepted), templates and scripts included.
SOURCE_SUFFIXES = (".py", ".html", ".js", ".json", ".csv", ".txt")


def hud_copies(root: Path = ROOT) -> list[str]:
    """Return every file outside lms/hud that carries one of HUD's lists (or a data file of HUD's)."""
    found = []
    for pkg in ("lms", *FEATURES):
        for path in sorted((root / pkg).rglob("*")):
            rel = path.relative_to(root).as_posix()
            if not path.is_file() or path.suffix not in SOURCE_SUFFIXES or rel.startswith("lms/hud/"):
                continue
            if re.fullmatch(r"(hud_lists|hmis_csv)_fy\d+.*", path.name):
                found.append(f"{rel}: a HUD data file")
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [f"{rel}: {mark!r}" for mark in HUD_FINGERPRINTS if mark in text]
    return found


def test_architecture_no_copy_of_hud_lists_outside_lms_hud():
    assert hud_copies() == []


def test_architecture_copy_finder_sees_a_copy(tmp_path):
    (tmp_path / "sandbox" / "data").mkdir(parents=True)
    (tmp_path / "lms" / "hud" / "data").mkdir(parents=True)
    (tmp_path / "lms" / "orgs").mkdir(parents=True)
    (tmp_path / "lms" / "orgs" / "types.py").write_text('TYPES = {1: "Emergency Shelter - Night-by-Night"}\n')
    (tmp_path / "sandbox" / "data" / "hud_lists_fy2026.json").write_text("[]")
    (tmp_path / "lms" / "hud" / "lists.py").write_text('"Emergency Shelter - Night-by-Night"\n')
    assert hud_copies(tmp_path) == ["lms/orgs/types.py: 'Emergency Shelter - Night-by-Night'",
                                    "sandbox/data/hud_lists_fy2026.json: a HUD data file"]


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
    assert sandbox_rule("sandbox/models.py", "lms.hudson")
    assert sandbox_rule("sandbox/models.py", "lms.core.db") is None
    assert sandbox_rule("sandbox/models.py", "lms.hud.checks") is None


@pytest.mark.parametrize("name", ["flask", "sqlalchemy", "sqlalchemy.orm", "lms.core.errors", "lms.orgs.models",
                                  "sandbox.models", "wtforms"])
def test_architecture_checker_flags_lms_hud_importing_beyond_the_standard_library(name):
    assert hud_rule("lms/hud/checks/base.py", name)


@pytest.mark.parametrize("name", ["json", "dataclasses", "datetime.date", "lms.hud.lists", "__future__"])
def test_architecture_checker_lets_lms_hud_import_the_standard_library(name):
    assert hud_rule("lms/hud/checks/base.py", name) is None


def test_architecture_checker_flags_practice_cases_importing_sandbox_models():
    assert feature_rule("practice_cases/services.py", "sandbox.models")
    assert feature_rule("practice_cases/services.py", "sandbox.services") is None


def test_architecture_relative_imports_are_resolved(tmp_path, monkeypatch):
    pkg = ROOT / "lms" / "accounts" / "services.py"
    names = imported_modules(pkg)
    assert any(n.startswith("lms.") for n in names)
