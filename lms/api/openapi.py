"""The OpenAPI 3.1 document of ``/api/v1/`` (written by hand: five calls do not need a generator)."""

from __future__ import annotations

from typing import Any

from lms.api.rules import SCOPES

_ERROR = {"$ref": "#/components/schemas/Error"}


def _errors(*codes: int) -> dict[str, Any]:
    words = {400: "The request is not acceptable (the message says why)", 401: "No usable API token",
             403: "The token lacks the scope this call needs", 404: "Not found, or outside the token's reach",
             409: "Refused in the current state (reasons listed)", 415: "The body is not JSON",
             429: "Too many calls"}
    return {str(c): {"description": words[c], "content": {"application/json": {"schema": _ERROR}}} for c in codes}


def _ok(schema: str, description: str, status: str = "200") -> dict[str, Any]:
    return {status: {"description": description,
                     "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}}


_STR = {"type": "string"}
_INT = {"type": "integer"}
_BOOL = {"type": "boolean"}
_DATE = {"type": "string", "format": "date"}
_TIME = {"type": ["string", "null"], "format": "date-time"}
_ID = {"type": "integer", "minimum": 1, "maximum": 2147483647}


def _obj(props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": list(props), "additionalProperties": False}


_TALLY = {"people": _INT, "certified": _INT, "in_new_user_training": _INT, "outstanding": _INT, "suspended": _INT}
_QUEUE_ROW = _obj({"person_id": _INT, "full_name": _STR, "email": _STR, "agencies": {"type": "array", "items": _STR},
                   "eligible": _BOOL, "reasons": {"type": "array", "items": _STR}})


def document(server_url: str) -> dict[str, Any]:
    secured = lambda scope: [{"bearer": [scope]}]  # noqa: E731
    return {
        "openapi": "3.1.0",
        "info": {"title": "HMIS Training API", "version": "1",
                 "description": "Read-mostly access for an HMIS Lead's own systems. Every call needs a bearer token "
                                "made by an administrator, with the scopes it uses; a token reads only the people "
                                "of its CoCs and agencies. Every call is audited."},
        "servers": [{"url": server_url}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "Scopes: " + "; ".join(f"{k}: {v}"
                                                                                 for k, v in SCOPES.items())}},
            "schemas": {
                "Error": {"type": "object", "properties": {"error": _STR, "detail": _STR,
                                                           "reasons": {"type": "array", "items": _STR}},
                          "required": ["error", "detail"]},
                "Person": _obj({
                    "id": _INT, "full_name": _STR, "email": _STR, "active": _BOOL,
                    "agencies": {"type": "array", "items": _obj({"id": _INT, "name": _STR, "coc": _STR})},
                    "fiscal_year": _INT,
                    "requirements": {"type": "array", "items": _obj({
                        "key": _STR, "label": _STR, "met": _BOOL, "achieved_at": _TIME, "annual": _BOOL,
                        "next_step": {"type": ["string", "null"]}})},
                    "progress": _obj({"met": _INT, "total": _INT}),
                    "eligibility": _obj({"eligible": _BOOL, "reasons": {"type": "array", "items": _STR},
                                         "codes": {"type": "array", "items": _STR}}),
                    "live_credential": {"oneOf": [{"type": "null"},
                                                  _obj({"username": _STR, "issued_at": _TIME})]},
                }),
                "CycleStatus": _obj({
                    "fiscal_year": _INT, "opened_on": _DATE, "due_on": _DATE, "totals": _obj(_TALLY),
                    "cocs": {"type": "array", "items": _obj({"coc": _STR, **_TALLY})},
                    "agencies": {"type": "array", "items": _obj({"agency_id": _INT, "agency": _STR, "coc": _STR,
                                                                 **_TALLY})},
                }),
                "CredentialQueue": _obj({"eligible": {"type": "array", "items": _QUEUE_ROW},
                                         "waiting": {"type": "array", "items": _QUEUE_ROW}}),
                "IssueRequest": {"type": "object", "properties": {"person_id": _ID, "username": {
                    "type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[A-Za-z0-9._-]+$",
                    "description": "The user name in the live HMIS: letters A to Z, digits, dots, underscores, "
                                   "hyphens"}},
                                 "required": ["person_id", "username"], "additionalProperties": False},
                "Issued": _obj({"person_id": _INT, "username": _STR, "issued_at": _TIME,
                                "temporary_password": _STR}),
                "RevocationsDue": _obj({"revocations": {"type": "array", "items": _obj({
                    "notice_id": _INT, "person_id": _INT, "full_name": _STR, "agency": _STR, "effective_on": _DATE,
                    "credential_due_on": _DATE, "overdue": _BOOL})}}),
            },
        },
        "paths": {
            "/people/{person_id}": {"get": {
                "summary": "A person's requirements for this fiscal year and their live-credential eligibility",
                "operationId": "getPerson", "security": secured("people:read"),
                "parameters": [{"name": "person_id", "in": "path", "required": True, "schema": _ID}],
                "responses": {**_ok("Person", "The person"), **_errors(400, 401, 403, 404, 429)}}},
            "/recertification/{fiscal_year}": {"get": {
                "summary": "A recertification cycle's status by CoC and agency, counted as the recertification "
                           "dashboard counts it (outstanding: not certified and not in new-user training; "
                           "suspended: those of them whose HMIS access is suspended)",
                "operationId": "getCycleStatus", "security": secured("recert:read"),
                "parameters": [{"name": "fiscal_year", "in": "path", "required": True,
                                "schema": {"type": "integer", "minimum": 2000, "maximum": 2200}}],
                "responses": {**_ok("CycleStatus", "The cycle's counts"), **_errors(400, 401, 403, 404, 429)}}},
            "/credentials/queue": {"get": {
                "summary": "People eligible for live credentials, and those waiting with every reason",
                "operationId": "getCredentialQueue", "security": secured("credentials:read"),
                "responses": {**_ok("CredentialQueue", "The queue"), **_errors(401, 403, 429)}}},
            "/credentials": {"post": {
                "summary": "Issue live credentials to an eligible person (the temporary password is in this "
                           "answer only)",
                "operationId": "issueCredential", "security": secured("credentials:write"),
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/IssueRequest"}}}},
                "responses": {**_ok("Issued", "Issued", "201"), **_errors(400, 401, 403, 404, 409, 415, 429)}}},
            "/revocations/due": {"get": {
                "summary": "Live credentials to make inactive after a revocation took effect",
                "operationId": "getRevocationsDue", "security": secured("revocations:read"),
                "responses": {**_ok("RevocationsDue", "Open revocations"), **_errors(401, 403, 429)}}},
        },
    }
