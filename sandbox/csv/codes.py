"""Which HUD list each coded column of an imported file is checked against.

The sandbox's own lists (``lms.hud.COLUMN_LISTS``) cover the elements a
trainee enters.  A set shaped like a real export also carries federal partner
program columns (PATH, RHY, HOPWA, SSVF, VA) the sandbox never writes; those
are checked here against HUD's list of the same element, so an import refuses
a code HUD does not define.  Columns whose list is not certain are left out
rather than risk refusing valid data.
"""

from __future__ import annotations

from typing import Any

import lms.hud as hud

_NO_YES_MISSING = "NoYesReasonsForMissingData"  # list 1.8

#: (file, column) → HUD list, for columns outside ``hud.COLUMN_LISTS``.
PROGRAM_LISTS: dict[tuple[str, str], str] = {
    ("Project.csv", "HOPWAMedAssistedLivingFac"): "HOPWAMedAssistedLivingFac",
    # V1 Veteran's information
    **{("Client.csv", c): _NO_YES_MISSING for c in ("WorldWarII", "KoreanWar", "VietnamWar", "DesertStorm",
                                                    "AfghanistanOEF", "IraqOIF", "IraqOND", "OtherTheater")},
    ("Client.csv", "MilitaryBranch"): "MilitaryBranch",
    ("Client.csv", "DischargeStatus"): "DischargeStatus",
    # PATH, RHY, SSVF and VA elements of the enrollment
    ("Enrollment.csv", "ReasonNotEnrolled"): "ReasonNotEnrolled",
    ("Enrollment.csv", "PercentAMI"): "PercentAMI",
    ("Enrollment.csv", "ReferralSource"): "ReferralSource",
    ("Enrollment.csv", "ReasonNoServices"): "ReasonNoServices",
    ("Enrollment.csv", "ChildWelfareYears"): "RHYNumberofYears",
    ("Enrollment.csv", "JuvenileJusticeYears"): "RHYNumberofYears",
    ("Enrollment.csv", "TimeToHousingLoss"): "TimeToHousingLoss",
    ("Enrollment.csv", "AnnualPercentAMI"): "AnnualPercentAMI",
    ("Enrollment.csv", "LiteralHomelessHistory"): "LiteralHomelessHistory",
    ("Enrollment.csv", "EvictionHistory"): "EvictionHistory",
    ("Enrollment.csv", "IncarceratedAdult"): "IncarceratedAdult",
    ("Enrollment.csv", "DependentUnder6"): "DependentUnder6",
    ("Enrollment.csv", "MentalHealthConsultation"): "MentalHealthConsultation",
    # Exit: housing assessment, RHY and HUD-VASH
    ("Exit.csv", "HousingAssessment"): "HousingAssessmentAtExit",
    ("Exit.csv", "SubsidyInformation"): "SubsidyInformation",
    ("Exit.csv", "ProjectCompletionStatus"): "ProjectCompletionStatus",
    ("Exit.csv", "EarlyExitReason"): "ExpelledReason",
    ("Exit.csv", "CountOfExchangeForSex"): "CountExchangeForSex",
    ("Exit.csv", "AftercareProvided"): "AftercareProvided",
    ("Exit.csv", "CMExitReason"): "CmExitReason",
    # Health insurance: the reason a source is not received (4.04.A, W3)
    **{("IncomeBenefits.csv", c): "ReasonNotInsured" for c in (
        "NoMedicaidReason", "NoMedicareReason", "NoSCHIPReason", "NoVHAReason", "NoEmployerProvidedReason",
        "NoCOBRAReason", "NoPrivatePayReason", "NoStateHealthInsReason", "NoIndianHealthServicesReason",
        "NoADAPReason", "NoRyanWhiteReason")},
    # R7 health status
    **{("HealthAndDV.csv", c): "HealthStatus" for c in ("GeneralHealthStatus", "DentalHealthStatus",
                                                        "MentalHealthStatus")},
    # W4 T-cell and viral load
    ("Disabilities.csv", "ViralLoadAvailable"): "ViralLoadAvailable",
    ("Disabilities.csv", "TCellSource"): "TCellSourceViralLoadSource",
    ("Disabilities.csv", "ViralLoadSource"): "TCellSourceViralLoadSource",
}


def list_for(file: str, column: str, values: dict[str, Any]) -> str | None:
    """Return the HUD list ``column`` of ``file`` takes its codes from (None: not a coded column)."""
    if column == "DisabilityResponse":
        kind = values.get("DisabilityType")
        return hud.disability_response_list(kind) if kind in hud.DISABILITY_TYPES else None
    if column == "EnrollmentCoC":
        return "CoCCodes"
    return hud.COLUMN_LISTS.get(column) or PROGRAM_LISTS.get((file, column))
