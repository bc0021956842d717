"""A small world for the practice-case workflow: a CoC, an agency, a trainee with a plan, reviewers, the Lead."""

from types import SimpleNamespace

import pytest

from lms.core.roles import Role
from lms.training import services as training


@pytest.fixture
def world(app, db_session, make_coc, make_agency, make_user, make_workspace, clock):
    coc, other_coc = make_coc(), make_coc()
    agency, other_agency = make_agency(coc), make_agency(other_coc)
    trainee = make_user(roles=[Role.END_USER], agency=agency, full_name="Tara Trainee")
    other = make_user(roles=[Role.END_USER], agency=other_agency, full_name="Otto Other")
    helpdesk = make_user(roles=[Role.HELPDESK], full_name="Hal Helpdesk")
    manager = make_user(roles=[Role.HMIS_MANAGER], coc=coc, full_name="Mia Manager")
    other_manager = make_user(roles=[Role.HMIS_MANAGER], coc=other_coc, full_name="Oli Othermanager")
    lead = make_user(roles=[Role.LEAD_ADMIN], full_name="Lee Lead")
    for person in (trainee, other):
        training.start_plan(db_session, person, practice_groups=["emergency_shelter"], now=clock.now)
        make_workspace(person.id)
    db_session.commit()
    return SimpleNamespace(app=app, coc=coc, agency=agency, trainee=trainee, other=other, helpdesk=helpdesk, manager=manager,
                           other_manager=other_manager, lead=lead)
