"""Project start and exit: 3.10-3.12, 3.15, 3.16, 3.20 and the 3.917 prior living situation (A or B)."""

from __future__ import annotations

from datetime import date
from typing import Any, Iterable, Mapping

from lms.hud.applicability import is_adult, prior_living_variant
from lms.hud.checks.base import NO, YES, Problem, check_codes, check_dates, check_required
from lms.hud.lists import MISSING_CODES, PERMANENT_HOUSING, RENTAL_WITH_SUBSIDY, is_coc_code

# --- 3.15 households ----------------------------------------------------------------------------

def check_household(relationships: Iterable[int | None]) -> list[Problem]:
    """A household has exactly one head (relationship 1)."""
    rels = list(relationships)
    heads = sum(1 for r in rels if r == 1)
    if heads == 0:
        return [Problem("RelationshipToHoH", "Relationship to head of household: the household needs a head "
                                             "of household (\"Self\").")]
    if heads > 1:
        return [Problem("RelationshipToHoH", "Relationship to head of household: a household can have only "
                                             "one head of household.")]
    return []


# --- project start: enrollment ------------------------------------------------------------------

def check_enrollment(e: Mapping[str, Any], *, project_type: int, dob: date | None, is_hoh: bool,
                     exit_date: date | None = None) -> list[Problem]:
    """Check a project-start record: dates, 3.08, 3.16, the 3.917 A/B branching, 3.20, adult-only answers."""
    p: list[Problem] = []
    p += check_codes(e, ["RelationshipToHoH", "LivingSituation", "RentalSubsidyType", "LengthOfStay",
                         "LOSUnderThreshold", "PreviousStreetESSH", "TimesHomelessPastThreeYears",
                         "MonthsHomelessPastThreeYears", "DisablingCondition"])
    start: date | None = e.get("EntryDate")
    if start is None:
        # Keep checking: every other answer is still reported, only the date comparisons wait for a start date.
        p.append(Problem("EntryDate", "Project start date: enter the date the client started in the project."))
    elif dob is not None and dob > start:
        p.append(Problem("EntryDate", "Project start date: it is before the client's date of birth."))
    if e.get("DisablingCondition") is None:
        p.append(Problem("DisablingCondition", "Disabling condition: answer it for every household member."))
    if e.get("RelationshipToHoH") is None:
        p.append(Problem("RelationshipToHoH", "Relationship to head of household: answer it."))
    if is_hoh and not e.get("EnrollmentCoC"):
        p.append(Problem("EnrollmentCoC", "Enrollment CoC: choose the CoC where the head of household is served."))
    elif e.get("EnrollmentCoC") and not is_coc_code(e["EnrollmentCoC"]):
        p.append(Problem("EnrollmentCoC", "Enrollment CoC: that is not a HUD CoC code."))

    # Without a start date a household member's age on it is unknown: only the head is surely asked 3.917.
    asks_prior = is_hoh or (start is not None and is_adult(dob, start))
    living = e.get("LivingSituation")
    prior_fields = ["LivingSituation", "LengthOfStay", "LOSUnderThreshold", "PreviousStreetESSH",
                    "DateToStreetESSH", "TimesHomelessPastThreeYears", "MonthsHomelessPastThreeYears"]
    if asks_prior:
        p += _check_prior_living(e, project_type=project_type, start=start)
    elif start is not None:
        for name in prior_fields:
            if e.get(name) is not None:
                p.append(Problem(name, "Prior living situation: it is asked of adults and heads of household "
                                       "only; leave it blank for a child."))
                break

    if living == RENTAL_WITH_SUBSIDY and e.get("RentalSubsidyType") is None:
        p.append(Problem("RentalSubsidyType", "Rental subsidy type: choose the subsidy (the living situation is "
                                              "a rental with an ongoing subsidy)."))
    if living != RENTAL_WITH_SUBSIDY and e.get("RentalSubsidyType") is not None:
        p.append(Problem("RentalSubsidyType", "Rental subsidy type: only asked when the living situation is a "
                                              "rental with an ongoing housing subsidy."))

    if start is not None:
        p += check_move_in(e.get("MoveInDate"), project_type=project_type, start=start, exit_date=exit_date,
                           is_hoh=is_hoh)
    p += check_required(e, "Enrollment.csv", filled=["EnrollmentID", "PersonalID", "ProjectID", "HouseholdID"],
                        found=p)
    return p


def _check_prior_living(e: Mapping[str, Any], *, project_type: int, start: date | None) -> list[Problem]:
    p: list[Problem] = []
    living, los = e.get("LivingSituation"), e.get("LengthOfStay")
    if living is None:
        p.append(Problem("LivingSituation", "Prior living situation: choose where the client stayed the night "
                                            "before project start."))
        return p
    if los is None:
        p.append(Problem("LengthOfStay", "Length of stay in prior living situation: answer it."))
    date_street = e.get("DateToStreetESSH")
    if date_street is not None and start is not None and date_street > start:
        p.append(Problem("DateToStreetESSH", "Approximate date this episode of homelessness started: it cannot "
                                             "be after the project start date."))
    homeless_now = living is not None and 100 <= living < 200
    if prior_living_variant(project_type) == "A":
        p += check_variant_a(e)
    if prior_living_variant(project_type) == "A" or homeless_now:
        # 3.917A, or a homeless situation under 3.917B: the homelessness history is asked straight away.
        for name, label in (("DateToStreetESSH", "Approximate date this episode of homelessness started"),
                            ("TimesHomelessPastThreeYears", "Number of times homeless in the past three years"),
                            ("MonthsHomelessPastThreeYears", "Number of months homeless in the past three years")):
            if e.get(name) is None:
                p.append(Problem(name, f"{label}: answer it."))
        return p
    # 3.917B for an institutional, temporary or permanent situation: the "break" questions.
    institutional = 200 <= living < 300
    short_stay = los in ({10, 11, 2, 3} if institutional else {10, 11})
    under = e.get("LOSUnderThreshold")
    if los is not None and los not in MISSING_CODES:
        expected = YES if short_stay else NO
        if under is None:
            p.append(Problem("LOSUnderThreshold", "Did the stay last less than " +
                             ("90 days" if institutional else "7 nights") + "?: answer it."))
        elif under != expected:
            p.append(Problem("LOSUnderThreshold", "Length of stay and \"stay less than " +
                             ("90 days" if institutional else "7 nights") + "\" disagree."))
    if under == NO:  # a break in homelessness: stop asking
        for name in ("PreviousStreetESSH", "DateToStreetESSH", "TimesHomelessPastThreeYears",
                     "MonthsHomelessPastThreeYears"):
            if e.get(name) is not None:
                p.append(Problem(name, "Homelessness history: not asked when the prior stay was long enough to "
                                       "be a break in homelessness; leave it blank."))
                break
        return p
    if under == YES:
        street = e.get("PreviousStreetESSH")
        if street is None:
            p.append(Problem("PreviousStreetESSH", "On the night before, stayed on the streets, in ES or SH?: "
                                                   "answer it."))
        elif street == YES:
            for name, label in (("DateToStreetESSH", "Approximate date this episode of homelessness started"),
                                ("TimesHomelessPastThreeYears", "Number of times homeless in the past three years"),
                                ("MonthsHomelessPastThreeYears", "Number of months homeless in the past three years")):
                if e.get(name) is None:
                    p.append(Problem(name, f"{label}: answer it."))
        elif street == NO:
            for name in ("DateToStreetESSH", "TimesHomelessPastThreeYears", "MonthsHomelessPastThreeYears"):
                if e.get(name) is not None:
                    p.append(Problem(name, "Homelessness history: not asked when the client was not on the "
                                           "streets, in ES or SH the night before; leave it blank."))
                    break
    return p


#: The 3.917B "break" questions 3.917A never asks: ES, SO and SH clients are literally homeless, so a stay
#: under a threshold and the night before on the streets, in ES or SH decide nothing there.
BREAK_QUESTIONS = ("LOSUnderThreshold", "PreviousStreetESSH")


def check_variant_a(e: Mapping[str, Any]) -> list[Problem]:
    """3.917A (ES, SO, SH) skips the break questions: refuse an answer to either, as HUD's form never asks it."""
    return [Problem(name, "Prior living situation (3.917A): emergency shelter, street outreach and safe haven "
                          "projects do not ask whether the stay was under 7 nights (90 days) or where the client "
                          "stayed the night before; leave it blank.")
            for name in BREAK_QUESTIONS if e.get(name) is not None]


def check_move_in(move_in: date | None, *, project_type: int, start: date, exit_date: date | None,
                  is_hoh: bool) -> list[Problem]:
    """3.20: permanent housing only, for the head of household, on or between project start and exit."""
    if move_in is None:
        return []
    if project_type not in PERMANENT_HOUSING:
        return [Problem("MoveInDate", "Housing move-in date: only permanent housing projects record it.")]
    if not is_hoh:
        return [Problem("MoveInDate", "Housing move-in date: record it on the head of household.")]
    if move_in < start:
        return [Problem("MoveInDate", "Housing move-in date: it cannot be before the project start date.")]
    if exit_date is not None and move_in > exit_date:
        return [Problem("MoveInDate", "Housing move-in date: it cannot be after the project exit date.")]
    return []


# --- project exit -------------------------------------------------------------------------------

def check_exit(x: Mapping[str, Any], *, start: date, move_in: date | None, today: date) -> list[Problem]:
    """3.11 and 3.12: the exit is on or after the start, destination with its subsidy type where asked."""
    p: list[Problem] = []
    p += check_codes(x, ["Destination", "DestinationSubsidyType"])
    exit_date = x.get("ExitDate")
    if exit_date is None:
        p.append(Problem("ExitDate", "Project exit date: enter the last day the client was in the project."))
    else:
        if exit_date < start:
            p.append(Problem("ExitDate", "Project exit date: it cannot be before the project start date "
                                         f"({start:%m/%d/%Y})."))
        p += check_dates(x, ["ExitDate"], today=today)
        if move_in is not None and move_in > exit_date:
            p.append(Problem("ExitDate", "Project exit date: it is before the housing move-in date."))
    dest = x.get("Destination")
    if dest is None:
        p.append(Problem("Destination", "Destination: choose where the client went."))
    if dest == RENTAL_WITH_SUBSIDY and x.get("DestinationSubsidyType") is None:
        p.append(Problem("DestinationSubsidyType", "Destination subsidy type: choose the subsidy (the destination "
                                                   "is a rental with an ongoing housing subsidy)."))
    if dest != RENTAL_WITH_SUBSIDY and x.get("DestinationSubsidyType") is not None:
        p.append(Problem("DestinationSubsidyType", "Destination subsidy type: only asked when the destination is "
                                                   "a rental with an ongoing housing subsidy."))
    if dest == 17 and not (x.get("OtherDestination") or "").strip():
        p.append(Problem("OtherDestination", "Destination \"Other\": say what it was."))
    p += check_required(x, "Exit.csv", filled=["ExitID", "EnrollmentID", "PersonalID"], found=p)
    return p
