import pytest

from .factories import standard_questionnaire


@pytest.fixture
def questionnaire(db):
    return standard_questionnaire()
