"""What people call HUD's fields and codes: element numbers and names, response labels.

Differences and intake forms speak in these words, never in raw column names or
codes alone.  Response lists come from the sandbox (``sandbox.services``), the
one place HUD's lists live.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import sandbox.services as sandbox

#: HUD FY2026 element (number and name) of each column an answer key may hold.
FIELD_LABELS: dict[str, str] = {
    # 3.01-3.07, Client.csv
    "FirstName": "3.01 Name: first", "MiddleName": "3.01 Name: middle", "LastName": "3.01 Name: last",
    "NameSuffix": "3.01 Name: suffix", "NameDataQuality": "3.01 Name data quality", "SSN": "3.02 Social Security number",
    "SSNDataQuality": "3.02 SSN data quality", "DOB": "3.03 Date of birth", "DOBDataQuality": "3.03 DOB data quality",
    "Sex": "3.06 Sex", "RaceNone": "3.04 Race and ethnicity: none given",
    "AdditionalRaceEthnicity": "3.04 Additional race and ethnicity detail", "VeteranStatus": "3.07 Veteran status",
    # Enrollment.csv
    "EntryDate": "3.10 Project start date", "RelationshipToHoH": "3.15 Relationship to head of household",
    "EnrollmentCoC": "3.16 Enrollment CoC", "DisablingCondition": "3.08 Disabling condition",
    "LivingSituation": "3.917 Prior living situation", "RentalSubsidyType": "3.917 Rental subsidy type",
    "LengthOfStay": "3.917 Length of stay in prior living situation",
    "LOSUnderThreshold": "3.917 Stay less than 7 nights (90 days if institutional)",
    "PreviousStreetESSH": "3.917 Night before: on the streets, in ES or SH",
    "DateToStreetESSH": "3.917 Approximate date this episode of homelessness started",
    "TimesHomelessPastThreeYears": "3.917 Times homeless in the past three years",
    "MonthsHomelessPastThreeYears": "3.917 Months homeless in the past three years",
    "MoveInDate": "3.20 Housing move-in date",
    # Exit.csv
    "ExitDate": "3.11 Project exit date", "Destination": "3.12 Destination",
    "DestinationSubsidyType": "3.12 Destination rental subsidy type", "OtherDestination": "3.12 Other destination",
    # IncomeBenefits.csv
    "InformationDate": "Information date", "IncomeFromAnySource": "4.02 Income from any source",
    "TotalMonthlyIncome": "4.02 Total monthly income", "BenefitsFromAnySource": "4.03 Non-cash benefits from any source",
    "InsuranceFromAnySource": "4.04 Covered by health insurance",
    # HealthAndDV.csv
    "DomesticViolenceSurvivor": "4.11 Survivor of domestic violence", "WhenOccurred": "4.11 When the experience occurred",
    "CurrentlyFleeing": "4.11 Currently fleeing",
    # Disabilities.csv
    "DisabilityResponse": "Disability", "IndefiniteAndImpairs": "Expected to be long-term and impair independent living",
    # CurrentLivingSituation.csv
    "CurrentLivingSituation": "4.12 Current living situation", "CLSSubsidyType": "4.12 Rental subsidy type",
    "LocationDetails": "4.12 Location details",
}

_FACTS = sandbox.hud_facts()
for _flag, _amount, _label in _FACTS["income_sources"]:
    FIELD_LABELS.setdefault(_flag, f"4.02 {_label}")
    FIELD_LABELS.setdefault(_amount, f"4.02 {_label}: monthly amount")
for _flag, _label in _FACTS["benefit_sources"]:
    FIELD_LABELS.setdefault(_flag, f"4.03 {_label}")
for _flag, _label in _FACTS["insurance_sources"]:
    FIELD_LABELS.setdefault(_flag, f"4.04 {_label}")
for _col, _label in _FACTS["race_columns"]:
    FIELD_LABELS.setdefault(_col, f"3.04 Race and ethnicity: {_label}")

#: What each CSV file holds, as a trainee would look for it in the sandbox.
FILE_LABELS = {
    "Client": "client profile", "Enrollment": "project start (enrollment)", "Exit": "project exit",
    "IncomeBenefits": "income, benefits and health insurance", "HealthAndDV": "domestic violence",
    "Disabilities": "disabilities", "CurrentLivingSituation": "current living situation contact",
}


def field_label(field: str, *, disability_type: int | None = None) -> str:
    if field in ("DisabilityResponse", "IndefiniteAndImpairs") and disability_type is not None:
        name = disability_name(disability_type)
        return name if field == "DisabilityResponse" else f"{name}: expected to be long-term and impair independent living"
    return FIELD_LABELS.get(field) or sandbox.hud_field_label(field)


def disability_name(disability_type: int) -> str:
    return _FACTS["disability_types"].get(int(disability_type), f"Disability type {disability_type}")


def value_label(field: str, value: Any, *, disability_type: int | None = None) -> str:
    """Return ``value`` in words: a response label (with its code), a US date, a dollar amount, or the text."""
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, date):
        return f"{value:%m/%d/%Y}"
    if isinstance(value, Decimal):
        return f"${value:,.2f}"
    codes = sandbox.hud_codes(field, disability_type=disability_type)
    if codes is not None:
        try:
            code = int(value)
        except (TypeError, ValueError):
            return str(value)
        label = codes.get(code)
        return f"{label} ({code})" if label is not None else f"{code} (not a HUD code)"
    return str(value)
