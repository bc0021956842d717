import pytest


@pytest.fixture
def upra(db_session, clock):
    """Publish the agreement shipped with the package; return its current version."""
    from lms.training import services

    services.load_content(db_session, now=clock.now)
    db_session.commit()
    return services.current_upra(db_session)
