"""Entry forms of the sandbox HMIS: HUD's labels in the drop-downs, HUD's codes stored."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Optional, Regexp, ValidationError

import lms.hud as hud
from lms.core.clock import utcnow
from lms.hud import checks as rules


def opt_int(value):
    """Coerce a drop-down value: blank is None (not answered), otherwise HUD's integer code."""
    if value in ("", None):
        return None
    return int(value)


class SafeText:
    """Refuse what the shared text rule refuses (control characters, too long), and keep the cleaned text.

    Forms that save through a service leave this to the service, which reports it
    with every other problem at once; this validator is for forms that only read.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.field_flags = {"maxlength": limit}

    def __call__(self, form, field) -> None:
        field.data, problems = rules.clean_text(field.data, field=field.name, limit=self.limit)
        if problems:
            raise ValidationError(problems[0].message.split(": ", 1)[-1])


def hud_text(label: str, file_name: str, column: str, **kwargs) -> StringField:
    """A free-text answer, as long as HUD's CSV column allows (checked, with the rest, by the service's rules)."""
    limit = next(c.limit for c in hud.columns(file_name) if c.name == column)
    return StringField(label, validators=[Optional()], render_kw={"maxlength": limit}, **kwargs)


def money(label: str) -> StringField:
    """An amount: read by :func:`lms.hud.checks.parse_money` in the service (room for "$1,234,567,890.00")."""
    return StringField(label, validators=[Optional()], render_kw={"maxlength": 20, "inputmode": "decimal"})


def hud_select(label: str, list_name: str, *, only: set[int] | None = None, description: str = "") -> SelectField:
    return SelectField(label, choices=hud.choices(list_name, only=only), coerce=opt_int, validators=[Optional()],
                       description=description)


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    first_name = StringField("First name", validators=[Optional(), SafeText(50)])
    last_name = StringField("Last name", validators=[Optional(), SafeText(50)])
    dob = DateField("Date of birth", validators=[Optional()])
    ssn4 = StringField("Last 4 of SSN", validators=[Optional(), Regexp(r"[0-9]{4}\Z", message="Enter 4 digits.")])


class ClientForm(FlaskForm):
    record_id = HiddenField()
    FirstName = hud_text("First name", "Client.csv", "FirstName")
    MiddleName = hud_text("Middle name", "Client.csv", "MiddleName")
    LastName = hud_text("Last name", "Client.csv", "LastName")
    NameSuffix = hud_text("Suffix", "Client.csv", "NameSuffix")
    NameDataQuality = hud_select("3.01 Name data quality", "NameDataQuality")
    SSN = hud_text("3.02 Social Security number", "Client.csv", "SSN",
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
    AdditionalRaceEthnicity = hud_text("Additional race and ethnicity detail", "Client.csv", "AdditionalRaceEthnicity")
    VeteranStatus = hud_select("3.07 Veteran status (adults)", "NoYesReasonsForMissingData")
    confirm_new = BooleanField("I searched, and this is not one of the clients listed above: create a new client")

    def validate(self, extra_validators=None) -> bool:
        """Report every problem at once: an answer that cannot be read, and HUD's rules on all the others."""
        if super().validate(extra_validators):
            return True  # saving checks HUD's rules (the service decides)
        unreadable = {name for name, field in self._fields.items() if field.errors}
        _, problems = rules.client_answers(self.hud_data(), today=utcnow().date(),
                                           record_id=self.record_id.data or None)
        self.rule_problems = []
        for p in problems:
            if p.field in unreadable:
                continue  # its own error says what is wrong; the rules saw it as blank
            if p.field in self._fields:
                self._fields[p.field].errors.append(p.message)
            else:
                self.rule_problems.append(p.message)
        return False

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
    OtherDestination = hud_text("If \"Other\": describe it", "Exit.csv", "OtherDestination")

    def hud_data(self) -> dict:
        return {n: getattr(self, n).data for n in ("ExitDate", "Destination", "DestinationSubsidyType",
                                                   "OtherDestination")}


class ClsForm(FlaskForm):
    record_id = HiddenField()
    InformationDate = DateField("Date of contact", validators=[Optional()])
    CurrentLivingSituation = hud_select("4.12 Current living situation", "CurrentLivingSituation")
    LocationDetails = hud_text("Location details", "CurrentLivingSituation.csv", "LocationDetails")


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
            setattr(form, amount, money(f"{label}: monthly amount"))
        setattr(form, "OtherIncomeSourceIdentify", hud_text("Other income source: specify", "IncomeBenefits.csv",
                                                            "OtherIncomeSourceIdentify"))
        setattr(form, "TotalMonthlyIncome", money("Total monthly income"))
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


#: HUD's names of the assessment's data elements: the legends of the fieldsets that group its questions.
ASSESSMENT_ELEMENTS: dict[str, str] = {
    "4.02": "Income and Sources", "4.03": "Non-Cash Benefits", "4.04": "Health Insurance",
    "4.05": "Physical Disability", "4.06": "Developmental Disability", "4.07": "Chronic Health Condition",
    "4.08": "HIV/AIDS", "4.09": "Mental Health Disorder", "4.10": "Substance Use Disorder",
    "4.11": "Domestic Violence",
}

#: Follow-up questions asked only for some answers of another: field -> (field it follows, the answers).
FOLLOW_UPS: dict[str, tuple[str, tuple[int, ...]]] = {
    **{amount: (flag, (1,)) for flag, amount, _ in hud.INCOME_SOURCES},
    "OtherIncomeSourceIdentify": ("OtherIncomeSource", (1,)),
    **{f"Indefinite{t}": (f"Disability{t}", (1, 2, 3) if t == 10 else (1,)) for t in hud.DISABILITY_TYPES},
    "WhenOccurred": ("DomesticViolenceSurvivor", (1,)),
    "CurrentlyFleeing": ("DomesticViolenceSurvivor", (1,)),
}


def _assessment_element(name: str) -> str | None:
    if name in ("IncomeFromAnySource", "OtherIncomeSourceIdentify", "TotalMonthlyIncome") or any(
            name in (flag, amount) for flag, amount, _ in hud.INCOME_SOURCES):
        return "4.02"
    if name == "BenefitsFromAnySource" or any(name == flag for flag, _ in hud.BENEFIT_SOURCES):
        return "4.03"
    if name == "InsuranceFromAnySource" or any(name == flag for flag, _ in hud.INSURANCE_SOURCES):
        return "4.04"
    for dtype, (element, _) in hud.DISABILITY_TYPES.items():
        if name in (f"Disability{dtype}", f"Indefinite{dtype}"):
            return element
    if name in ("DomesticViolenceSurvivor", "WhenOccurred", "CurrentlyFleeing"):
        return "4.11"
    return None


def assessment_groups(form: FlaskForm) -> list[tuple[str, str, list[list[str]]]]:
    """Group an assessment's questions by HUD data element, in the form's order.

    Returns (element, its name, rows): each row is a question followed by its follow-ups (an amount after
    its income source), so a page can keep them together and show a follow-up only when it applies.
    """
    groups: dict[str, list[list[str]]] = {}
    for f in form:
        element = _assessment_element(f.name)
        if element is None:
            continue
        rows = groups.setdefault(element, [])
        if f.name in FOLLOW_UPS and rows and rows[-1][0] == FOLLOW_UPS[f.name][0]:
            rows[-1].append(f.name)
        else:
            rows.append([f.name])
    return [(element, ASSESSMENT_ELEMENTS[element], rows) for element, rows in groups.items()]
