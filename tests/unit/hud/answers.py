"""Answers HUD's checks accept, and the dates they are checked on, shared by the lms.hud.checks tests."""

from datetime import date

START = date(2026, 10, 1)
TODAY = date(2026, 11, 2)
ADULT_DOB = date(1980, 5, 17)
CHILD_DOB = date(2015, 3, 3)


def fields(problems):
    """The fields the problems name."""
    return {p.field for p in problems}


def good_client(**kw):
    """An adult client's answers that pass every check, with these changed."""
    c = {"FirstName": "Ana", "LastName": "Diaz", "NameDataQuality": 1, "SSN": "123456789", "SSNDataQuality": 1,
         "DOB": ADULT_DOB, "DOBDataQuality": 1, "Sex": 0, "White": 1, "RaceNone": None, "VeteranStatus": 0}
    c.update(kw)
    return c


def good_enrollment(**kw):
    """A head of household's shelter entry that passes every check, with these changed."""
    e = {"EntryDate": START, "RelationshipToHoH": 1, "EnrollmentCoC": "MO-606", "DisablingCondition": 0,
         "LivingSituation": 116, "LengthOfStay": 4, "DateToStreetESSH": date(2026, 1, 1),
         "TimesHomelessPastThreeYears": 1, "MonthsHomelessPastThreeYears": 109}
    e.update(kw)
    return e
