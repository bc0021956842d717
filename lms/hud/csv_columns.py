"""The FY2026 HMIS CSV columns: every file's columns in HUD's order, and the HUD list each coded column takes.

Read from ``lms/hud/data/hmis_csv_fy2026_columns.csv`` (the reference copy, ten
files) and ``hmis_csv_fy2026_more_columns.csv`` (the fourteen further files), so
the sandbox's models, forms, validation and CSV export/import follow one spec.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cached_property, lru_cache

from lms.hud.lists import BENEFIT_SOURCES, DATA, INCOME_SOURCES, INSURANCE_SOURCES, codes, disability_response_list

CSV_VERSION = "2026 v1.0"

#: Which HUD list each coded CSV column takes its values from (validation and labels).
COLUMN_LISTS: dict[str, str] = {
    # Export, Organization, Project
    "SourceType": "SourceType", "ExportPeriodType": "ExportPeriodType", "ExportDirective": "ExportDirective",
    "HashStatus": "HashStatus", "VictimServiceProvider": "NoYes", "ContinuumProject": "NoYes",
    "ProjectType": "ProjectType", "HousingType": "HousingType", "RRHSubType": "RRHSubType",
    "TargetPopulation": "TargetPopulation",
    # Client
    "NameDataQuality": "NameDataQuality", "SSNDataQuality": "SSNDataQuality", "DOBDataQuality": "DOBDataQuality",
    "Sex": "Sex", "AmIndAKNative": "NoYes", "Asian": "NoYes", "BlackAfAmerican": "NoYes", "HispanicLatinao": "NoYes",
    "MidEastNAfrican": "NoYes", "NativeHIPacific": "NoYes", "White": "NoYes", "RaceNone": "RaceNone",
    "VeteranStatus": "NoYesReasonsForMissingData",
    # Enrollment
    "RelationshipToHoH": "RelationshipToHoH", "LivingSituation": "PriorLivingSituation",
    "RentalSubsidyType": "RentalSubsidyType", "LengthOfStay": "ResidencePriorLengthOfStay",
    "LOSUnderThreshold": "NoYesMissing", "PreviousStreetESSH": "NoYesMissing",
    "TimesHomelessPastThreeYears": "TimesHomelessPastThreeYears",
    "MonthsHomelessPastThreeYears": "MonthsHomelessPastThreeYears",
    "DisablingCondition": "NoYesReasonsForMissingData",
    # Exit
    "Destination": "Destination", "DestinationSubsidyType": "RentalSubsidyType",
    # IncomeBenefits
    "IncomeFromAnySource": "NoYesReasonsForMissingData", "BenefitsFromAnySource": "NoYesReasonsForMissingData",
    "InsuranceFromAnySource": "NoYesReasonsForMissingData", "DataCollectionStage": "DataCollectionStage",
    # Disabilities, HealthAndDV, CurrentLivingSituation
    "DisabilityType": "DisabilityType", "IndefiniteAndImpairs": "NoYesReasonsForMissingData",
    "DomesticViolenceSurvivor": "NoYesReasonsForMissingData", "WhenOccurred": "WhenDVOccurred",
    "CurrentlyFleeing": "NoYesReasonsForMissingData", "CurrentLivingSituation": "CurrentLivingSituation",
    "CLSSubsidyType": "RentalSubsidyType",
}

for _flag, _amount, _label in INCOME_SOURCES:
    COLUMN_LISTS[_flag] = "NoYesMissing"
for _flag, _label in BENEFIT_SOURCES + INSURANCE_SOURCES:
    COLUMN_LISTS[_flag] = "NoYesMissing"


@dataclass(frozen=True)
class Column:
    name: str
    #: "string", "integer", "date" or "datetime" (money is a string column named *Amount/TotalMonthlyIncome).
    type: str
    limit: int | None
    required: bool
    #: The header HUD's FY2026 CSV specification writes (``name`` is the attribute and database column).
    header: str = ""

    @cached_property
    def is_money(self) -> bool:
        return self.name == "TotalMonthlyIncome" or (self.name.endswith("Amount") and self.type == "string")


#: Column → the header HUD's FY2026 CSV specification writes, where the reference copy spells it otherwise.
#: HUD/Abt's own column list (Eva ``public-resources/columns.csv``) and Green River's FY2026 exporter both write
#: ``WorkplaceViolenceThreats``; HUD/Abt's list writes ``HOHLeaseholder`` as the reference does.  Headers are read
#: case-insensitively, so either spelling imports.
HEADER_SPELLING = {"WorkPlaceViolenceThreats": "WorkplaceViolenceThreats"}
#: The column specification: the reference copy (ten files) and the fourteen further FY2026 files.
COLUMN_FILES = ("hmis_csv_fy2026_columns.csv", "hmis_csv_fy2026_more_columns.csv")


@lru_cache(maxsize=1)
def csv_files() -> dict[str, list[Column]]:
    """Return {file name: columns in HUD's order} for every FY2026 HMIS CSV file (Export.csv included)."""
    files: dict[str, list[Column]] = {}
    for data_file in COLUMN_FILES:
        with (DATA / data_file).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                type_ = row["greenriver_type"]
                if type_ == "string" and row["column"] in COLUMN_LISTS:
                    # The reference types SSNDataQuality and DOBDataQuality as strings; HUD's answers are integer codes.
                    type_ = "integer"
                name = row["column"]
                files.setdefault(row["file"], []).append(Column(
                    name=name, type=type_, limit=int(row["limit"]) if row["limit"] else None,
                    required=row["not_null"] == "Y", header=HEADER_SPELLING.get(name, name)))
    return files


def columns(file_name: str) -> list[Column]:
    """Return the columns of ``file_name`` ("Client.csv" ...) in HUD's order; KeyError if HUD has no such file."""
    return csv_files()[file_name]


def column_names(file_name: str) -> list[str]:
    """Return the column names of ``file_name`` in HUD's order; KeyError if unknown."""
    return [c.name for c in columns(file_name)]


def column_type(file_name: str, column: str) -> str | None:
    """Return "string", "integer", "date", "datetime" or "money" for a column of ``file_name`` (None if unknown)."""
    for c in columns(file_name):
        if c.name == column:
            return "money" if c.is_money else c.type
    return None


def column_codes(column: str, *, disability_type: int | None = None) -> dict | None:
    """Return HUD's response list {code: label} for a coded column, or None when the column is not coded.

    ``DisabilityResponse`` depends on the disability type (substance use answers from list 4.10.2).
    """
    if column == "DisabilityResponse":
        return codes(disability_response_list(disability_type or 0))
    list_name = COLUMN_LISTS.get(column)
    return codes(list_name) if list_name else None


#: Columns every HUD file ends with that the sandbox does not store per row.
EXPORT_ONLY = {"ExportID"}
