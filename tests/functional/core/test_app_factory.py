"""What ``create_app`` leaves ready before any request: the work a worker would otherwise do in its first one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_a_new_app_has_related_its_mappers_before_its_first_request(tmp_path):
    """SQLAlchemy relates the mappers at their first use (~80 ms): a gunicorn worker would pay it in the first
    request it serves (a sign-in, the first after a restart).  In a fresh process, as a worker starts."""
    code = f"""
from lms.app import create_app
create_app({{"ENV": "testing", "SECRET_KEY": "x", "DATABASE_URL": "sqlite:///{tmp_path}/lms.db",
            "SANDBOX_DATABASE_URL": "sqlite:///{tmp_path}/sb.db", "INSTANCE_PATH": "{tmp_path}"}})
from lms.core.db import Base
from sandbox.db import SandboxBase
for base in (Base, SandboxBase):
    print(len(base.registry.mappers) > 10, all(m.configured for m in base.registry.mappers))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["True"] * 4, out.stdout
