"""``lms content load`` checks the practice case library; ``lms demo`` gives the demo trainee cases and snippets."""

import copy
import json

from practice_cases import library


def test_content_load_checks_and_lists_every_case(runner, app):
    assert library.load_content in app.extensions["lms.content_loaders"]
    result = runner.invoke(args=["lms", "content", "load"])
    assert result.exit_code == 0, result.output
    for case_id in library.load_library():
        assert f"{case_id}.json: practice case" in result.output
    assert 'es-brooks-family.json: practice case "The Brooks family at Harbor Light Emergency Shelter" ' \
           "(emergency_shelter, 3 household member(s)) checked and listed." in result.output
    assert set(library.cases()) == set(library.load_library())


def test_content_load_refuses_a_library_with_problems_and_names_them_all(runner, app, tmp_path):
    good = json.loads((library.DATA_DIR / "es-brooks-family.json").read_text(encoding="utf-8"))
    bad = copy.deepcopy(good)
    bad["segments"]["entry"]["answer_key"]["members"][0]["Enrollment"]["LivingSituation"] = 999
    bad["segments"]["update"]["answer_key"]["members"][0]["Client"]["Nickname"] = "T"
    (tmp_path / "es-brooks-family.json").write_text(json.dumps(bad))
    loaders = app.extensions["lms.content_loaders"]
    app.extensions["lms.content_loaders"] = [lambda s, now: library.load_content(s, now=now, directory=tmp_path)]
    try:
        result = runner.invoke(args=["lms", "content", "load"])
    finally:
        app.extensions["lms.content_loaders"] = loaders
    assert result.exit_code != 0
    assert "2 problem(s) in the practice case library" in result.output
    assert ("es-brooks-family.json: segments.entry.answer_key.members[0].Enrollment.LivingSituation: 999 is not one "
            "of HUD's responses for LivingSituation") in result.output
    assert ("es-brooks-family.json: segments.update.answer_key.members[0].Client.Nickname: not a column of "
            "Client.csv") in result.output


def test_demo_assigns_the_demo_trainee_a_case_per_group_and_adds_snippets(runner, db_session):
    import sqlalchemy as sa

    from lms.accounts.models import User
    from practice_cases import services
    from practice_cases.models import FeedbackSnippet

    for _ in range(2):  # a second run changes nothing
        result = runner.invoke(args=["lms", "demo"])
        assert result.exit_code == 0, result.output
    trainee = db_session.execute(sa.select(User).where(User.email.like("end.user%"))).scalar_one()
    assigned = services.assignments_of(db_session, trainee)
    assert assigned and all(a.status == "open" for a in assigned)
    assert len({a.group for a in assigned}) == len(assigned)
    snippets = db_session.execute(sa.select(FeedbackSnippet)).scalars().all()
    assert len(snippets) >= 3 and len({(s.element, s.text) for s in snippets}) == len(snippets)
