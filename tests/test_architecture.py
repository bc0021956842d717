"""Imports point one way (DESIGN.md §2): parse every module and refuse the wrong direction."""

import ast
from pathlib import Path

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


def test_sandbox_imports_only_lms_core():
    bad = [(mod, imp) for mod, imps in _modules("sandbox") for imp in imps
           if _top(imp) in ("quizzes", "practice_cases") or (_top(imp) == "lms" and not imp.startswith("lms.core"))]
    assert bad == []


def test_quizzes_and_practice_cases_read_the_sandbox_only_through_services():
    bad = [(mod, imp) for pkg in ("quizzes", "practice_cases") for mod, imps in _modules(pkg) for imp in imps
           if _top(imp) == "sandbox" and imp != "sandbox.services"]
    assert bad == []


def test_lms_core_imports_no_feature_of_lms_at_module_level():
    """The core is the bottom layer: auth, accounts and orgs build on it (lazy imports inside functions aside)."""
    bad = []
    for path in sorted((ROOT / "lms" / "core").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
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
