"""Fixtures of the sandbox's browser tests: axe, and a trainee whose workspace holds a client with consent."""

import pytest

from lms.core.roles import Role


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def trainee_with_a_client(committed_app, make_live_user, clock):
    """A signed-up trainee whose workspace holds Ana Diaz, with consent on file; returns her PersonalID."""
    from datetime import date

    from sandbox import services
    from sandbox.db import get_sandbox_database

    user = make_live_user("ana.trainee@example.org", roles=[Role.END_USER], full_name="Ana Trainee")
    with get_sandbox_database(committed_app).session() as sdb:
        ws = services.workspace_for_user(sdb, user.id, now=clock.now)
        client = services.save_client(sdb, ws, {"FirstName": "Ana", "LastName": "Diaz", "NameDataQuality": 1,
                                                "SSN": "xxxxx1234", "SSNDataQuality": 2, "DOB": date(1990, 2, 3),
                                                "DOBDataQuality": 1, "Sex": 0, "White": 1, "VeteranStatus": 0},
                                      now=clock.now)
        services.record_roi(sdb, ws, client, consented=True, signed_on=clock.now.date(), documentation="signed",
                            now=clock.now)
        sdb.commit()
        return client.PersonalID
