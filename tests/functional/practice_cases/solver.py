"""Enter a case's answer key through the sandbox's services, segment by segment, as a careful trainee would."""

from __future__ import annotations

from typing import Any, Mapping

from practice_cases import validate
from sandbox import services
from sandbox.services.records import snapshot


def _typed(file: str, record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: validate.typed(file, k, v) for k, v in record.items()}


class Solver:
    """Keeps the trainee's records (by member name) between segments, as the trainee's memory would."""

    def __init__(self, sdb, ws, case: Mapping[str, Any], now) -> None:  # noqa: ANN001
        self.sdb, self.ws, self.case, self.now = sdb, ws, case, now
        self.project = next(p for p in services.projects(sdb, ws.id) if p.ProjectType == case["project_type"])
        self.enrollments: dict[tuple, Any] = {}

    def _members(self, segment: str, key: Mapping[str, Any] | None = None) -> list[dict]:
        members = (key or self.case["segments"][segment]["answer_key"])["members"]
        # The head of household first: the others join the household.
        return sorted(members, key=lambda m: m["Enrollment"]["RelationshipToHoH"] != 1)

    def _assess(self, enrollment, member: Mapping[str, Any], stage: int, info) -> None:  # noqa: ANN001
        income = _typed("IncomeBenefits", member.get("IncomeBenefits") or {})
        health = _typed("HealthAndDV", member.get("HealthAndDV") or {})
        info = income.pop("InformationDate", None) or health.get("InformationDate") or info
        health.pop("InformationDate", None)
        disabilities = {int(t): _typed("Disabilities", r) for t, r in (member.get("Disabilities") or {}).items()}
        services.record_assessment(self.sdb, self.ws, enrollment, stage, information_date=info, income=income or None,
                                   disabilities=disabilities or None, health=health or None, now=self.now)

    def _contacts(self, enrollment, member: Mapping[str, Any]) -> None:  # noqa: ANN001
        have = {c["InformationDate"] for c in snapshot(self.sdb, self.ws.id, enrollment.PersonalID, 1)
                ["Enrollments"][-1]["CurrentLivingSituation"]}
        for contact in member.get("CurrentLivingSituation") or []:
            data = _typed("CurrentLivingSituation", contact)
            if data["InformationDate"] not in have:
                services.record_current_living_situation(self.sdb, self.ws, enrollment, data, now=self.now)

    def entry(self, key: Mapping[str, Any] | None = None) -> None:
        household_id = None
        for m in self._members("entry", key):
            client = services.save_client(self.sdb, self.ws, _typed("Client", m["Client"]), now=self.now)
            enrollment_data = _typed("Enrollment", m["Enrollment"])
            services.record_roi(self.sdb, self.ws, client, consented=True, signed_on=enrollment_data["EntryDate"],
                                documentation="signed", now=self.now)
            e = services.enroll(self.sdb, self.ws, client, self.project, enrollment_data, now=self.now,
                                household_id=household_id)
            household_id = household_id or e.HouseholdID
            self.enrollments[validate.identity(m)] = e
            self._assess(e, m, 1, e.EntryDate)
            self._contacts(e, m)

    def update(self, key: Mapping[str, Any] | None = None) -> None:
        for m in self._members("update", key):
            e = self.enrollments[validate.identity(m)]
            move_in = validate.typed("Enrollment", "MoveInDate", m["Enrollment"].get("MoveInDate"))
            if move_in is not None and e.MoveInDate != move_in:
                services.set_move_in(self.sdb, self.ws, e, move_in, now=self.now)
            self._assess(e, m, 2, validate.parse_date(self.case["segments"]["update"]["date"]))
            self._contacts(e, m)

    def exit(self, key: Mapping[str, Any] | None = None) -> None:
        for m in self._members("exit", key):
            e = self.enrollments[validate.identity(m)]
            x = services.exit_enrollment(self.sdb, self.ws, e, _typed("Exit", m["Exit"]), now=self.now)
            self._assess(e, m, 3, x.ExitDate)
            self._contacts(e, m)
