from tests.unit.credentials.conftest import fact_desk, make_trainee  # noqa: F401 - shared factories
