"""Factories for credential tests: an eligible person, and stand-ins for the packages that answer facts."""

from __future__ import annotations

import pytest

from lms.credentials import rules, signals


class FactDesk:
    """Answers the credentials package's fact signals the way the future packages will."""

    def __init__(self) -> None:
        self.requests: dict[int, rules.Answer] = {}
        self.suspensions: dict[int, rules.Answer] = {}
        self.refusals: dict[int, rules.Answer] = {}
        self.calls = 0

    def settle(self, user, *, project_types=(0,)) -> None:
        """Give ``user`` an approved request, no suspension and no refusal."""
        self.requests[user.id] = rules.Answer(True, project_types=tuple(project_types))
        self.suspensions[user.id] = rules.Answer(False)
        self.refusals[user.id] = rules.Answer(False)

    def _requests(self, sender, *, users, now):
        self.calls += 1
        return {u.id: self.requests[u.id] for u in users if u.id in self.requests}

    def _suspensions(self, sender, *, users, now):
        return {u.id: self.suspensions[u.id] for u in users if u.id in self.suspensions}

    def _refusals(self, sender, *, users, now):
        return {u.id: self.refusals[u.id] for u in users if u.id in self.refusals}


@pytest.fixture
def fact_desk():
    desk = FactDesk()
    signals.access_request_facts.connect(desk._requests)
    signals.suspension_facts.connect(desk._suspensions)
    signals.refusal_facts.connect(desk._refusals)
    yield desk
    signals.access_request_facts.disconnect(desk._requests)
    signals.suspension_facts.disconnect(desk._suspensions)
    signals.refusal_facts.disconnect(desk._refusals)


@pytest.fixture
def make_trainee(db_session, clock, make_user, make_agency, make_project, fact_desk):
    """Create an end user with a plan for an emergency shelter; ``eligible=True`` completes it all."""

    def make(*, eligible: bool = True, email: str | None = None, full_name: str | None = None, roles=("end_user",)):
        from lms.training import rules as training_rules
        from lms.training import services as training_services

        agency = make_agency()
        make_project(agency=agency, project_type=0)
        user = make_user(email, roles=list(roles), agency=agency, full_name=full_name)
        training_services.start_plan(db_session, user, practice_groups=["emergency_shelter"], now=clock.now)
        if eligible:
            fact_desk.settle(user)
            fy = training_rules.fiscal_year_of(clock.now)
            for key in ("upra", "security_privacy", "data_standards", "cs_basics", "practice:emergency_shelter"):
                training_services.record_evidence(db_session, user, key, fiscal_year=fy, achieved_at=clock.now,
                                                  source="test", source_id=f"{user.id}-{key}")
        db_session.commit()
        return user

    return make
