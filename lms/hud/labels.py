"""What people call HUD's elements, fields and codes: element numbers and names, field names, response labels.

Messages, intake forms and answer-key differences speak in these words, never in
raw column names or codes alone.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from lms.hud.csv_columns import column_codes
from lms.hud.lists import BENEFIT_SOURCES, DISABILITY_TYPES, INCOME_SOURCES, INSURANCE_SOURCES, RACE_COLUMNS

#: The elements HUD asks by stage or occurrence, by number (the assessment page's headings).
ELEMENT_LABELS = {
    "3.08": "Disabling condition", "3.10": "Project start date", "3.11": "Project exit date", "3.12": "Destination",
    "3.15": "Relationship to head of household", "3.16": "Enrollment CoC", "3.20": "Housing move-in date",
    "3.917": "Prior living situation", "4.02": "Income and sources", "4.03": "Non-cash benefits",
    "4.04": "Health insurance", "4.05-4.10": "Disabilities", "4.11": "Domestic violence",
    "4.12": "Current living situation",
}

#: What people call each field in messages (HUD's column name otherwise).
LABELS = {
    "FirstName": "First name", "MiddleName": "Middle name", "LastName": "Last name", "NameSuffix": "Suffix",
    "SSN": "SSN", "AdditionalRaceEthnicity": "Additional race and ethnicity detail",
    "NameDataQuality": "Name data quality", "SSNDataQuality": "SSN data quality",
    "DOBDataQuality": "Date of birth data quality", "VeteranStatus": "Veteran status", "DOB": "Date of birth",
    "EntryDate": "Project start date", "ExitDate": "Project exit date", "MoveInDate": "Housing move-in date",
    "DateToStreetESSH": "Approximate date this episode of homelessness started", "Destination": "Destination",
    "OtherDestination": "Other destination", "InformationDate": "Information date",
    "CurrentLivingSituation": "Current living situation", "LocationDetails": "Location details",
    "OtherIncomeSourceIdentify": "Other income source", "OtherBenefitsSourceIdentify": "Other benefit source",
    "OtherInsuranceIdentify": "Other health insurance", "DisabilityResponse": "Disability",
    "TotalMonthlyIncome": "Total monthly income", "signed_on": "Date signed",
    **{amount: label for _, amount, label in INCOME_SOURCES},
}




def label_of(field: str) -> str:
    """Return what a message calls ``field`` (its column name when there is no plainer word for it)."""
    return LABELS.get(field, field)


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

for _flag, _amount, _label in INCOME_SOURCES:
    FIELD_LABELS.setdefault(_flag, f"4.02 {_label}")
    FIELD_LABELS.setdefault(_amount, f"4.02 {_label}: monthly amount")
for _flag, _label in BENEFIT_SOURCES:
    FIELD_LABELS.setdefault(_flag, f"4.03 {_label}")
for _flag, _label in INSURANCE_SOURCES:
    FIELD_LABELS.setdefault(_flag, f"4.04 {_label}")
for _col, _label in RACE_COLUMNS:
    FIELD_LABELS.setdefault(_col, f"3.04 Race and ethnicity: {_label}")

#: What each CSV file holds, as a trainee would look for it in the sandbox.
FILE_LABELS = {
    "Client": "client profile", "Enrollment": "project start (enrollment)", "Exit": "project exit",
    "IncomeBenefits": "income, benefits and health insurance", "HealthAndDV": "domestic violence",
    "Disabilities": "disabilities", "CurrentLivingSituation": "current living situation contact",
}


def field_label(field: str, *, disability_type: int | None = None) -> str:
    """Return a column's element number and name (a disability's own name for its two answers)."""
    if field in ("DisabilityResponse", "IndefiniteAndImpairs") and disability_type is not None:
        name = disability_name(disability_type)
        return name if field == "DisabilityResponse" else f"{name}: expected to be long-term and impair independent living"
    return FIELD_LABELS.get(field) or label_of(field)


def disability_name(disability_type: int) -> str:
    """Return "4.10 Substance use disorder" for 10, and so on (a plain fallback for a type HUD has not)."""
    element = DISABILITY_TYPES.get(int(disability_type))
    return f"{element[0]} {element[1]}" if element else f"Disability type {disability_type}"


def value_label(field: str, value: Any, *, disability_type: int | None = None) -> str:
    """Return ``value`` in words: a response label (with its code), a US date, a dollar amount, or the text."""
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, date):
        return f"{value:%m/%d/%Y}"
    if isinstance(value, Decimal):
        return f"${value:,.2f}"
    codes = column_codes(field, disability_type=disability_type)
    if codes is not None:
        try:
            code = int(value)
        except (TypeError, ValueError):
            return str(value)
        label = codes.get(code)
        return f"{label} ({code})" if label is not None else f"{code} (not a HUD code)"
    return str(value)
