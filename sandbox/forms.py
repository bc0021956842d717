"""Entry forms of the sandbox HMIS: HUD's labels in the drop-downs, HUD's codes stored."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from sandbox import hud


def opt_int(value):
    """Coerce a drop-down value: blank is None (not answered), otherwise HUD's integer code."""
    if value in ("", None):
        return None
    return int(value)


def hud_select(label: str, list_name: str, *, only: set[int] | None = None, description: str = "") -> SelectField:
    return SelectField(label, choices=hud.choices(list_name, only=only), coerce=opt_int, validators=[Optional()],
                       description=description)


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    name = StringField("Name", validators=[Optional(), Length(max=100)])
    dob = DateField("Date of birth", validators=[Optional()])
    ssn4 = StringField("Last 4 of SSN", validators=[Optional(), Regexp(r"^\d{4}$", message="Enter 4 digits.")])


class ClientForm(FlaskForm):
    record_id = HiddenField()
    FirstName = StringField("First name", validators=[Optional(), Length(max=50)])
    MiddleName = StringField("Middle name", validators=[Optional(), Length(max=50)])
    LastName = StringField("Last name", validators=[Optional(), Length(max=50)])
    NameSuffix = StringField("Suffix", validators=[Optional(), Length(max=50)])
    NameDataQuality = hud_select("3.01 Name data quality", "NameDataQuality")
    SSN = StringField("3.02 Social Security number", validators=[Optional(), Length(max=9)],
                      description="Nine characters; type a lowercase x for each digit the client does not know, "
                                  "e.g. xxxxx1234.")
    SSNDataQuality = hud_select("3.02 SSN data quality", "SSNDataQuality")
    DOB = DateField("3.03 Date of birth", validators=[Optional()])
    DOBDataQuality = hud_select("3.03 DOB data quality", "DOBDataQuality")
    Sex = hud_select("4.21 Sex", "Sex")
    AmIndAKNative = BooleanField("American Indian, Alaska Native, or Indigenous")
    Asian = BooleanField("Asian or Asian American")
    BlackAfAmerican = BooleanField("Black, African American, or African")
    HispanicLatinao = BooleanField("Hispanic/Latina/o")
    MidEastNAfrican = BooleanField("Middle Eastern or North African")
    NativeHIPacific = BooleanField("Native Hawaiian or Pacific Islander")
    White = BooleanField("White")
    RaceNone = hud_select("…or, if no race is chosen", "RaceNone",
                          description="Only when the client didn't know, preferred not to answer, or it wasn't collected.")
    AdditionalRaceEthnicity = StringField("Additional race and ethnicity detail", validators=[Optional(), Length(max=100)])
    VeteranStatus = hud_select("3.07 Veteran status (adults)", "NoYesReasonsForMissingData")
    confirm_new = BooleanField("I searched, and this is not one of the clients listed above: create a new client")

    def hud_data(self) -> dict:
        data = {name: getattr(self, name).data for name in (
            "FirstName", "MiddleName", "LastName", "NameSuffix", "NameDataQuality", "SSN", "SSNDataQuality", "DOB",
            "DOBDataQuality", "Sex", "RaceNone", "AdditionalRaceEthnicity", "VeteranStatus")}
        for col, _ in hud.RACE_COLUMNS:
            data[col] = 1 if getattr(self, col).data else 0
        return data


class RoiForm(FlaskForm):
    consented = RadioField("The client", choices=[("1", "consents to share their information"),
                                                  ("0", "refuses to share their information")],
                           validators=[InputRequired("Say whether the client consents or refuses.")])
    signed_on = DateField("Date signed or given", validators=[InputRequired("Enter the date.")])
    documentation = RadioField("Documentation", choices=[("signed", "Signed release form"),
                                                         ("verbal", "Verbal consent, witnessed")],
                               validators=[InputRequired("Choose the documentation.")])


class EnrollForm(FlaskForm):
    record_id = HiddenField()
    ProjectID = SelectField("Project", validators=[InputRequired("Choose a project.")])
    EntryDate = DateField("3.10 Project start date", validators=[Optional()])
    RelationshipToHoH = hud_select("3.15 Relationship to head of household", "RelationshipToHoH")
    EnrollmentCoC = SelectField("3.16 Enrollment CoC (head of household)", validators=[Optional()])
    DisablingCondition = hud_select("3.08 Disabling condition", "NoYesReasonsForMissingData")
    LivingSituation = hud_select("3.917 Prior living situation: where did the client stay last night?",
                                 "PriorLivingSituation")
    RentalSubsidyType = hud_select("Rental subsidy type (only for a rental with an ongoing subsidy)",
                                   "RentalSubsidyType")
    LengthOfStay = hud_select("Length of stay in prior living situation", "ResidencePriorLengthOfStay")
    LOSUnderThreshold = hud_select("Did the stay last less than 7 nights (90 days if institutional)? (3.917B)",
                                   "NoYesMissing")
    PreviousStreetESSH = hud_select("On the night before, did the client stay on the streets, in ES or SH? (3.917B)",
                                    "NoYesMissing")
    DateToStreetESSH = DateField("Approximate date this episode of homelessness started", validators=[Optional()])
    TimesHomelessPastThreeYears = hud_select("Times homeless in the past three years", "TimesHomelessPastThreeYears")
    MonthsHomelessPastThreeYears = hud_select("Months homeless in the past three years",
                                              "MonthsHomelessPastThreeYears")
    MoveInDate = DateField("3.20 Housing move-in date (permanent housing, head of household)",
                           validators=[Optional()])

    HUD_FIELDS = ("EntryDate", "RelationshipToHoH", "EnrollmentCoC", "DisablingCondition", "LivingSituation",
                  "RentalSubsidyType", "LengthOfStay", "LOSUnderThreshold", "PreviousStreetESSH", "DateToStreetESSH",
                  "TimesHomelessPastThreeYears", "MonthsHomelessPastThreeYears", "MoveInDate")

    def hud_data(self) -> dict:
        data = {name: getattr(self, name).data for name in self.HUD_FIELDS}
        data["EnrollmentCoC"] = data["EnrollmentCoC"] or None
        return data


class ExitForm(FlaskForm):
    ExitDate = DateField("3.11 Project exit date", validators=[Optional()])
    Destination = hud_select("3.12 Destination", "Destination")
    DestinationSubsidyType = hud_select("Destination subsidy type (only for a rental with an ongoing subsidy)",
                                        "RentalSubsidyType")
    OtherDestination = StringField("If \"Other\": describe it", validators=[Optional(), Length(max=50)])

    def hud_data(self) -> dict:
        return {n: getattr(self, n).data for n in ("ExitDate", "Destination", "DestinationSubsidyType",
                                                   "OtherDestination")}


class ClsForm(FlaskForm):
    record_id = HiddenField()
    InformationDate = DateField("Date of contact", validators=[Optional()])
    CurrentLivingSituation = hud_select("4.12 Current living situation", "CurrentLivingSituation")
    LocationDetails = StringField("Location details", validators=[Optional(), Length(max=250)])


def assessment_form(required: frozenset[str], stage: int) -> type[FlaskForm]:
    """Build the form of one stage with only the elements HUD asks of this person here."""

    class AssessmentForm(FlaskForm):
        record_id = HiddenField()
        InformationDate = DateField("Information date", validators=[Optional()],
                                    description="Project start: the start date. Exit: the exit date.")

    form = AssessmentForm
    if "4.02" in required:
        setattr(form, "IncomeFromAnySource", hud_select("4.02 Income from any source", "NoYesReasonsForMissingData"))
        for flag, amount, label in hud.INCOME_SOURCES:
            setattr(form, flag, hud_select(label, "NoYesMissing"))
            setattr(form, amount, StringField(f"{label}: monthly amount", validators=[Optional(), Length(max=14)]))
        setattr(form, "OtherIncomeSourceIdentify", StringField("Other income source: specify",
                                                                validators=[Optional(), Length(max=50)]))
        setattr(form, "TotalMonthlyIncome", StringField("Total monthly income", validators=[Optional(), Length(max=14)]))
    if "4.03" in required:
        setattr(form, "BenefitsFromAnySource", hud_select("4.03 Non-cash benefits from any source",
                                                          "NoYesReasonsForMissingData"))
        for flag, label in hud.BENEFIT_SOURCES:
            setattr(form, flag, hud_select(label, "NoYesMissing"))
    if "4.04" in required:
        setattr(form, "InsuranceFromAnySource", hud_select("4.04 Covered by health insurance",
                                                           "NoYesReasonsForMissingData"))
        for flag, label in hud.INSURANCE_SOURCES:
            setattr(form, flag, hud_select(label, "NoYesMissing"))
    if "4.05-4.10" in required:
        for dtype, (element, label) in hud.DISABILITY_TYPES.items():
            setattr(form, f"Disability{dtype}", hud_select(f"{element} {label}", hud.disability_response_list(dtype)))
            if dtype not in (6, 8):
                setattr(form, f"Indefinite{dtype}", hud_select(
                    f"{label}: expected to be long-continuing and to impair independent living?",
                    "NoYesReasonsForMissingData"))
    if "4.11" in required:
        setattr(form, "DomesticViolenceSurvivor", hud_select("4.11 Survivor of domestic violence",
                                                             "NoYesReasonsForMissingData"))
        setattr(form, "WhenOccurred", hud_select("When the experience occurred", "WhenDVOccurred"))
        setattr(form, "CurrentlyFleeing", hud_select("Currently fleeing", "NoYesReasonsForMissingData"))
    return form
