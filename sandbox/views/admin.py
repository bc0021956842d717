"""Administrators' page of every workspace, with a reset for any one of them."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from lms.core import audit
from lms.core.clock import utcnow
from lms.core.db import get_db_session
from lms.core.roles import ADMIN_ROLES
from lms.core.web import client_ip, require
from lms.core.web import commit as commit_lms
from sandbox import services
from sandbox.db import commit as commit_sandbox
from sandbox.db import get_sandbox_session
from sandbox.views import bp


@bp.route("/admin/workspaces", methods=["GET", "POST"])
@require(*ADMIN_ROLES)
def admin_workspaces():
    sdb = get_sandbox_session()
    if request.method == "POST":
        ref = request.form.get("workspace", "")
        ws = services.get_workspace(sdb, ref[:64])  # a 404 for a workspace that is not there
        if request.form.get("confirm") != "RESET":
            # Nothing emptied: the list again, with why beside the workspace's box.
            return render_template("sandbox/admin_workspaces.html", workspaces=services.list_workspaces(sdb),
                                   refused=ws.id), 400
        services.reset_workspace(sdb, ws, now=utcnow())
        commit_sandbox()
        audit.record(get_db_session(), action="sandbox.workspace_reset", now=utcnow(), actor=current_user,
                     ip=client_ip(), workspace=ws.ref)
        commit_lms()
        flash(f"Workspace {ws.ref} is empty again.", "success")
        return redirect(url_for("sandbox.admin_workspaces"), 303)
    return render_template("sandbox/admin_workspaces.html", workspaces=services.list_workspaces(sdb), refused=None)
