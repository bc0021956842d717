"""The bare endpoints every figure is a ratio to: a Flask app with no session and no database.

``/ok`` answers "ok" (to a GET, or to a POST, whose form it does not read: the floor under the
video heartbeat); ``/argon2`` verifies one password with Argon2id at the app's parameters
(``LMS_ARGON2_*``, production's by default), the floor under any sign-in.
"""

from __future__ import annotations

import os

from argon2 import PasswordHasher
from flask import Flask, request

PASSWORD = "Bench-Bare-Password-2026"

app = Flask(__name__)
_hasher = PasswordHasher(memory_cost=int(os.environ.get("LMS_ARGON2_MEMORY_COST", 19456)),
                         time_cost=int(os.environ.get("LMS_ARGON2_TIME_COST", 2)),
                         parallelism=int(os.environ.get("LMS_ARGON2_PARALLELISM", 1)))
_HASH = _hasher.hash(PASSWORD)


@app.route("/ok", methods=["GET", "POST"])
def ok() -> str:
    return "ok"


@app.post("/argon2")
def argon2() -> str:
    _hasher.verify(_HASH, request.form.get("password", ""))
    return "ok"
