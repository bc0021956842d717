"""``flask --app wsgi lms content load`` and ``lms demo`` publish the agreement, once."""

from __future__ import annotations

import sqlalchemy as sa

from lms.training import services
from lms.training.models import UpraVersion


def _versions(db_session) -> int:
    return db_session.execute(sa.select(sa.func.count()).select_from(UpraVersion)).scalar_one()


def test_content_load_twice_publishes_the_agreement_once(runner, db_session):
    first = runner.invoke(args=["lms", "content", "load"])
    assert first.exit_code == 0, first.output
    assert "upra_v1.json: agreement version 1 published." in first.output
    second = runner.invoke(args=["lms", "content", "load"])
    assert second.exit_code == 0 and "already published, unchanged" in second.output
    assert _versions(db_session) == 1


def test_content_load_changed_published_text_fails_with_message(runner, app, db_session, clock, tmp_path):
    services.load_content(db_session, now=clock.now)
    db_session.commit()
    changed = (services.DATA_DIR / "upra_v1.json").read_text().replace("confidential.", "confidential!", 1)
    (tmp_path / "upra_v1.json").write_text(changed)
    app.extensions["lms.content_loaders"] = [lambda s, now: services.load_content(s, now=now, directory=tmp_path)]
    result = runner.invoke(args=["lms", "content", "load"])
    assert result.exit_code != 0 and "a published version never changes" in result.output


def test_demo_publishes_the_agreement_and_plans_the_trainee_once(runner, db_session):
    from lms.demo import demo_users
    from lms.training.models import TrainingPlan

    for _ in range(2):
        result = runner.invoke(args=["lms", "demo"])
        assert result.exit_code == 0, result.output
    assert services.current_upra(db_session).version == 1
    [trainee] = [u for u in demo_users(db_session) if u.email.startswith("end.user@")]
    assert services.current_plan(db_session, trainee).requirement_keys == [
        "upra", "security_privacy", "data_standards", "cs_basics", "practice:emergency_shelter",
        "practice:permanent_housing"]
    assert db_session.execute(sa.select(sa.func.count()).select_from(TrainingPlan)).scalar_one() == 1
