"""APR question 6, cell by cell: each case seeds a few records and names the exact cells it expects.

A case names whole rows, (table, row label) -> every cell's text as the page shows it, so each cell
of each Q6 table is checked somewhere; records without problems give no finding at all (their own test).
"""

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

import lms.hud as hud
from bench.harness import count_queries
from lms.hud import measures as d
from sandbox import services
from sandbox.apr import q6
from sandbox.apr.sql import AddYears, Days, StripDigits, Ymd, YmdDate
from sandbox.models import (Client, CurrentLivingSituation, Disabilities, Enrollment, Exit, IncomeBenefits,
                            Organization, Project, Services)

END = date(2026, 11, 1)
ENTRY = date(2026, 10, 1)
CREATED = datetime(2026, 10, 1, 12)
CLEAN_CLIENT = {"FirstName": "Ana", "LastName": "Diaz", "NameDataQuality": 1, "SSN": "123456780",
                "SSNDataQuality": 1, "DOB": date(1980, 5, 17), "DOBDataQuality": 1, "Sex": 0,
                **{col: 0 for col, _ in hud.RACE_COLUMNS}, "White": 1, "VeteranStatus": 0}
CLEAN_ENROLLMENT = {"EntryDate": ENTRY, "RelationshipToHoH": 1, "EnrollmentCoC": "MO-606", "DisablingCondition": 0,
                    "LivingSituation": 116, "LengthOfStay": 4, "DateToStreetESSH": date(2026, 1, 1),
                    "TimesHomelessPastThreeYears": 1, "MonthsHomelessPastThreeYears": 109}
NO_INCOME = {"IncomeFromAnySource": 0, "BenefitsFromAnySource": 0, "InsuranceFromAnySource": 0}
A, B, C, D, E, MO, F = "q6a", "q6b", "q6c", "q6d", "q6e", "missouri", "q6f"


@pytest.fixture
def ws(sandbox_session, clock):
    return services.create_workspace(sandbox_session, "apr:test", user_label="apr", now=clock.now, seed=False)


class Seeder:
    def __init__(self, sdb, ws):
        self.sdb, self.ws, self.n, self.projects = sdb, ws, 0, {}
        sdb.add(Organization(workspace_id=ws.id, OrganizationID="org", OrganizationName="Org", VictimServiceProvider=0,
                             DateCreated=CREATED, DateUpdated=CREATED, UserID="t"))
        sdb.flush()

    def project(self, project_type: int, key: str | None = None) -> str:
        key = key or f"p{project_type}"
        if key not in self.projects:
            self.sdb.add(Project(workspace_id=self.ws.id, ProjectID=key, OrganizationID="org", ProjectName=key,
                                 OperatingStartDate=date(2020, 1, 1), ContinuumProject=1, ProjectType=project_type,
                                 DateCreated=CREATED, DateUpdated=CREATED, UserID="t"))
            self.sdb.flush()
            self.projects[key] = key
        return key

    def stamp(self, created=CREATED):
        return {"workspace_id": self.ws.id, "DateCreated": created, "DateUpdated": created, "UserID": "t"}

    def person(self, *, project_type: int = hud.ES_EE, client: dict | None = None, enrollment: dict | None = None,
               exit: dict | None = None, income: dict | None = NO_INCOME, incomes: tuple = (),
               disabilities: tuple = (), contacts: tuple = (), services: tuple = (), personal_id: str | None = None,
               household: str | None = None, client_created=CREATED, entry_created=CREATED,
               project: str | None = None, exit_income: dict | None = NO_INCOME) -> str:
        self.n += 1
        pid = personal_id or f"c{self.n}"
        if personal_id is None or self.sdb.execute(sa.select(Client).where(
                Client.workspace_id == self.ws.id, Client.PersonalID == pid)).first() is None:
            self.sdb.add(Client(**self.stamp(client_created), PersonalID=pid, **{**CLEAN_CLIENT, **(client or {})}))
        eid = f"e{self.n}"
        values = {**CLEAN_ENROLLMENT, **(enrollment or {})}
        self.sdb.add(Enrollment(**self.stamp(entry_created), EnrollmentID=eid, PersonalID=pid,
                                ProjectID=project or self.project(project_type), HouseholdID=household or f"h{self.n}",
                                **values))
        self.sdb.flush()
        if income is not None:
            incomes = ({"DataCollectionStage": hud.STAGE_ENTRY, "InformationDate": values["EntryDate"], **income},
                       *incomes)
        for i, ib in enumerate(incomes):
            self.sdb.add(IncomeBenefits(**self.stamp(), IncomeBenefitsID=f"{eid}i{i}", EnrollmentID=eid, PersonalID=pid,
                                        **{**NO_INCOME, **ib}))
        for i, ds in enumerate(disabilities):
            self.sdb.add(Disabilities(**self.stamp(), DisabilitiesID=f"{eid}d{i}", EnrollmentID=eid, PersonalID=pid,
                                      InformationDate=values["EntryDate"], DataCollectionStage=hud.STAGE_ENTRY, **ds))
        for i, on in enumerate(contacts):
            self.sdb.add(CurrentLivingSituation(**self.stamp(), CurrentLivingSitID=f"{eid}s{i}", EnrollmentID=eid,
                                                PersonalID=pid, InformationDate=on, CurrentLivingSituation=116))
        for i, sv in enumerate(services):
            self.sdb.add(Services(**self.stamp(), ServicesID=f"{eid}v{i}", EnrollmentID=eid, PersonalID=pid, **sv))
        if exit is not None:
            x = {"ExitDate": END - timedelta(days=1), "Destination": 410, **exit}
            created = x.pop("created", datetime.combine(x["ExitDate"], datetime.min.time()))
            self.sdb.add(Exit(**self.stamp(created), ExitID=f"x{self.n}", EnrollmentID=eid, PersonalID=pid, **x))
            if exit_income is not None:
                self.sdb.add(IncomeBenefits(**self.stamp(), IncomeBenefitsID=f"{eid}ix", EnrollmentID=eid,
                                            PersonalID=pid, **{**NO_INCOME, "DataCollectionStage": hud.STAGE_EXIT,
                                                               "InformationDate": x["ExitDate"], **exit_income}))
        self.sdb.flush()
        return pid


def _run(sandbox_session, ws, seed, start=None, end=END):
    seed(Seeder(sandbox_session, ws))
    return q6.report(sandbox_session, ws.id, start=start, end=end)


def _people(*specs):
    def seed(s):
        for kw in specs:
            s.person(**kw)
    return seed



def _exits(*specs):
    return [{"exit": {}, **kw} for kw in specs]


CHILD = {"DOB": date(2015, 1, 1)}
NO_RACE = {"White": 0}
ANNIVERSARY_ENTRY = {"EntryDate": date(2025, 9, 15)}
SO = {"project_type": hud.SO, "enrollment": {"EntryDate": date(2026, 6, 1), "DateOfEngagement": date(2026, 6, 1)}}
NBN = {"project_type": hud.ES_NBN}
NBN_SINCE_JUNE = {**NBN, "enrollment": {"EntryDate": date(2026, 6, 1)}}
BED_NIGHTS = (F, "Bed Night (All Clients in ES-NbN)")


def _bed_nights(*days: date, **values) -> dict:
    """Services rows (4.14 bed nights unless ``values`` say otherwise), for Seeder.person."""
    return {"services": tuple({"DateProvided": on, "RecordType": d.BED_NIGHT, "TypeProvided": 200, **values}
                              for on in days)}


def _days_after(days: int, on: date = ENTRY) -> datetime:
    return datetime.combine(on + timedelta(days=days), datetime.min.time()) + timedelta(hours=12)


#: id → (people to seed (keyword arguments of Seeder.person), {(table, row): every cell's text} or
#: {("counts", name): value}, report start).
CASES = {
    "q6a name": ([{}, {"client": {"NameDataQuality": 9, "FirstName": None, "LastName": None}},
                  {"client": {"NameDataQuality": 99}}, {"client": {"LastName": None}},
                  {"client": {"NameDataQuality": 2}}],
                 {(A, "Name (3.01)"): ["1", "2", "1", "4", "80.00%"],
                  (A, "Overall Score"): ["", "", "", "4", "80.00%"]}),
    "q6a ssn": ([{}, {"client": {"SSNDataQuality": 8, "SSN": None}}, {"client": {"SSNDataQuality": 99, "SSN": None}},
                 {"client": {"SSN": None}}, {"client": {"SSNDataQuality": 2, "SSN": "xxxxx6789"}},
                 *[{"client": {"SSN": bad}} for bad in ("000123456", "666123456", "912345678", "123006789",
                                                         "123450000", "111111111", "123456789", "12345678",
                                                         "1234567a9")]],
                {(A, "Social Security Number (3.02)"): ["1", "2", "10", "13", "92.86%"]}),
    "q6a dob": ([{}, {"client": {"DOB": None, "DOBDataQuality": 8}}, {"client": {"DOB": None, "DOBDataQuality": 99}},
                 {"client": {"DOB": None}}, {"client": {"DOBDataQuality": 2}},
                 {"client": {"DOB": date(1910, 1, 1)}}, {"client": {"DOBDataQuality": 99}},
                 {"client": {"DOB": date(2026, 10, 5)}},
                 {"client": {"DOB": date(2026, 9, 20)}, "client_created": datetime(2026, 9, 1)}],
                {(A, "Date of Birth (3.03)"): ["1", "2", "5", "8", "88.89%"]}),
    "q6a race and ethnicity": ([{}, {"client": {**NO_RACE, "RaceNone": 8}}, {"client": {**NO_RACE, "RaceNone": 99}},
                                {"client": NO_RACE}, {"client": {"RaceNone": 9}}],
                               {(A, "Race and Ethnicity (3.04)"): ["2", "2", "", "4", "80.00%"]}),
    "q6a sex is shown but not scored": ([{}, {"client": {"Sex": 8}}, {"client": {"Sex": 99}}, {"client": {"Sex": None}}],
                                        {(A, "Sex (3.06.1)"): ["1", "2", "", "3", "75.00%"],
                                         (A, "Overall Score"): ["", "", "", "0", "0.00%"]}),
    "q6a overall counts a client once": (
        [{}, {"client": {"NameDataQuality": 2, "SSNDataQuality": 99, "SSN": None}},
         {"client": {**NO_RACE, "RaceNone": 8}}],
        {(A, "Overall Score"): ["", "", "", "2", "66.67%"]}),
    "q6b veteran status": ([{}, {"client": {"VeteranStatus": 8}}, {"client": {"VeteranStatus": 99}},
                            {"client": {**CHILD, "VeteranStatus": 1}}, {"client": CHILD},
                            {"client": {"DOB": None, "VeteranStatus": 99}}],
                           {(B, "Veteran Status (3.07)"): ["1", "1", "1", "3", "60.00%"]}),
    "q6b project start overlaps": (
        [{"personal_id": "x", "enrollment": {"EntryDate": date(2026, 9, 1)}, "exit": {"ExitDate": date(2026, 10, 5)}},
         {"personal_id": "x"},
         {"personal_id": "y", "enrollment": {"EntryDate": date(2026, 8, 1), "DisablingCondition": 99},
          "exit": {"ExitDate": date(2026, 9, 1)}},
         {"personal_id": "y"}, {}],
        {(B, "Project Start Date (3.10)"): ["", "", "1", "1", "33.33%"],
         # y's earlier enrollment (disabling condition not collected) is not the one reported.
         (B, "Disabling Condition (3.08)"): ["0", "0", "0", "0", "0.00%"]}),
    "q6b relationship to head of household": (
        [{}, {"enrollment": {"RelationshipToHoH": None}},
         {"household": "two"}, {"household": "two"}, {"enrollment": {"RelationshipToHoH": 2}}],
        {(B, "Relationship to Head of Household (3.15)"): ["", "1", "4", "4", "80.00%"]}),
    "q6b enrollment coc": ([{"household": "a"}, {"enrollment": {"EnrollmentCoC": None}},
                            {"enrollment": {"EnrollmentCoC": "XX-999"}},
                            {"household": "a", "enrollment": {"RelationshipToHoH": 2, "EnrollmentCoC": None}}],
                           {(B, "Enrollment CoC (3.16)"): ["", "1", "1", "2", "66.67%"]}),
    "q6b disabling condition": (
        [{}, {"enrollment": {"DisablingCondition": 8}}, {"enrollment": {"DisablingCondition": 99}},
         {"enrollment": {"DisablingCondition": None}},
         {"disabilities": ({"DisabilityType": 6, "DisabilityResponse": 1},)},
         {"disabilities": ({"DisabilityType": 5, "DisabilityResponse": 1, "IndefiniteAndImpairs": 0},)},
         {"disabilities": ({"DisabilityType": 10, "DisabilityResponse": 2, "IndefiniteAndImpairs": 1},)},
         {"enrollment": {"DisablingCondition": 1}, "disabilities": ({"DisabilityType": 6, "DisabilityResponse": 1},)}],
        {(B, "Disabling Condition (3.08)"): ["1", "2", "2", "5", "62.50%"]}),
    "q6c destination": ([{}, *_exits({}, {"exit": {"Destination": 8}}, {"exit": {"Destination": 30}},
                                     {"exit": {"Destination": 99}}, {"exit": {"Destination": 435}},
                                     {"exit": {"Destination": 435, "DestinationSubsidyType": 419}})],
                        {(C, "Destination (3.12)"): ["1", "3", "", "4", "66.67%"]}),
    "q6c income at start": (
        [{}, {"income": None}, {"income": {**NO_INCOME, "InformationDate": date(2026, 10, 2)}},
         {"income": {"IncomeFromAnySource": 8}}, {"income": {"IncomeFromAnySource": 99}},
         {"income": {"IncomeFromAnySource": 1}}, {"income": {"Earned": 1, "EarnedAmount": 100}},
         {"client": CHILD, "enrollment": {"RelationshipToHoH": 2}, "income": None}],
        {(C, "Income and Sources (4.02) at Start"): ["1", "3", "2", "6", "85.71%"]}),
    "q6c income at annual assessment": (
        [{"enrollment": ANNIVERSARY_ENTRY, **extra} for extra in (
            {"incomes": ({"DataCollectionStage": hud.STAGE_ANNUAL, "InformationDate": date(2026, 9, 20)},)},
            {},
            {"incomes": ({"DataCollectionStage": hud.STAGE_ANNUAL, "InformationDate": date(2026, 7, 1)},)},
            {"incomes": ({"DataCollectionStage": hud.STAGE_ANNUAL, "InformationDate": date(2026, 9, 15),
                          "IncomeFromAnySource": 9},)},
            {"incomes": ({"DataCollectionStage": hud.STAGE_ANNUAL, "InformationDate": date(2026, 9, 15),
                          "IncomeFromAnySource": 1},)},
            {"exit": {}})] + [{}],
        {(C, "Income and Sources (4.02) at Annual Assessment"): ["1", "2", "1", "4", "80.00%"]}),
    "q6c income at exit": (
        [{}, *_exits({}, {"exit_income": None}, {"exit_income": {"IncomeFromAnySource": 8}},
                     {"exit_income": {"InformationDate": date(2026, 10, 20)}},
                     {"exit_income": {"SSI": 1, "SSIAmount": 900}})],
        {(C, "Income and Sources (4.02) at Exit"): ["1", "2", "1", "4", "80.00%"]}),
    "q6d es, sh and street outreach": (
        [{}, {"enrollment": {"DateToStreetESSH": None}}, {"enrollment": {"TimesHomelessPastThreeYears": 8}},
         {"enrollment": {"MonthsHomelessPastThreeYears": 99}},
         {"enrollment": {"TimesHomelessPastThreeYears": None, "MonthsHomelessPastThreeYears": None}},
         {**SO},
         {"client": CHILD, "enrollment": {"RelationshipToHoH": 2, "DateToStreetESSH": None}},
         {"enrollment": {"EntryDate": date(2016, 9, 30), "DateToStreetESSH": None}}],
        {(D, "ES-EE, ES-NbN, SH, Street Outreach"): ["6", "", "", "1", "2", "2", "66.67%"]}),
    "q6d th": (
        [{"project_type": hud.TH, "enrollment": e} for e in (
            {}, {"LivingSituation": 204, "LengthOfStay": 99}, {"LivingSituation": 410, "LengthOfStay": 8},
            {"DateToStreetESSH": None},
            {"LivingSituation": 410, "LengthOfStay": 10, "PreviousStreetESSH": 1, "TimesHomelessPastThreeYears": None},
            {"LivingSituation": 204, "LengthOfStay": 4, "DateToStreetESSH": None, "TimesHomelessPastThreeYears": None},
            {"LivingSituation": 204, "LengthOfStay": 2, "PreviousStreetESSH": 1, "MonthsHomelessPastThreeYears": 8},
            {"LivingSituation": None, "LengthOfStay": None})],
        {(D, "TH"): ["8", "1", "2", "1", "1", "1", "75.00%"]}),
    "q6d ph, ce, sso and the total": (
        [{"project_type": hud.PSH}, {"project_type": hud.RRH, "enrollment": {"DateToStreetESSH": None}},
         {"project_type": hud.CE}, {"project_type": hud.SSO, "enrollment": {"LivingSituation": 205, "LengthOfStay": None}}],
        {(D, "PH (all)"): ["2", "0", "0", "1", "0", "0", "50.00%"],
         (D, "CE"): ["1", "0", "0", "0", "0", "0", "0.00%"],
         (D, "SSO, Day Shelter, HP"): ["1", "1", "0", "0", "0", "0", "100.00%"],
         (D, "Total"): ["4", "", "", "", "", "", "50.00%"]}),
    "q6e timeliness and the 72-hour rule": (
        [{"entry_created": _days_after(n)} for n in (-1, 0, 1, 3, 4, 6, 7, 10, 11, 40)]
        + _exits(*[{"exit": {"ExitDate": date(2026, 10, 10), "created": _days_after(n, date(2026, 10, 10))}}
                   for n in (0, 2, 12)]),
        {(E, "< 0 days"): ["1", "0"], (E, "0 days"): ["4", "1"], (E, "1-3 days"): ["2", "1"],
         (E, "4-6 days"): ["2", "0"], (E, "7-10 days"): ["2", "0"], (E, "11+ days"): ["2", "1"],
         (MO, "Entered within 72 hours (0-3 days)"): ["7", "2"], (MO, "Entered later (4+ days)"): ["6", "1"]}),
    "q6e counts project starts in the period only": (
        [{"enrollment": {"EntryDate": date(2026, 9, 1)}, "entry_created": _days_after(0, date(2026, 9, 1))}, {},
         {"enrollment": {"EntryDate": date(2026, 8, 1)}, "exit": {"ExitDate": date(2026, 9, 15)}}],
        {(E, "0 days"): ["1", "0"], ("counts", "clients"): 2}, date(2026, 10, 1)),
    "q6f street outreach contacts": (
        [{**SO, "contacts": (date(2026, 7, 1),)}, {**SO, "contacts": (date(2026, 10, 15),)},
         {**SO, "contacts": (date(2026, 11, 5),)},
         {**SO, "enrollment": {"EntryDate": date(2026, 9, 1), "DateOfEngagement": date(2026, 9, 1)}},
         {**SO, "enrollment": {"EntryDate": date(2026, 6, 1)}},
         {**SO, "client": CHILD, "enrollment": {**SO["enrollment"], "RelationshipToHoH": 2}},
         {**SO, "exit": {"ExitDate": date(2026, 10, 1)}}],
        {(F, "Contact (Adults and Heads of Household in Street Outreach)"): ["3", "2", "66.67%"],
         ("counts", "clients"): 6}),
    "q6f night-by-night bed nights": (
        [{**NBN, "enrollment": {"EntryDate": date(2026, 6, 1)}}, {**NBN, "enrollment": {"EntryDate": date(2026, 8, 3)}},
         {**NBN, "enrollment": {"EntryDate": date(2026, 9, 1)}},
         {**NBN, "client": CHILD, "enrollment": {"EntryDate": date(2026, 6, 1), "RelationshipToHoH": 2}}],
        {BED_NIGHTS: ["3", "2", "66.67%"]}),
    # The last bed night is the latest Services row of RecordType 200 on or before the report end (END is
    # 11/01: 08/03 is 90 days before it, 08/02 91); the project start counts only when none came after it.
    "q6f bed night in the last 90 days": (
        [{**NBN_SINCE_JUNE, **_bed_nights(date(2026, 7, 1), date(2026, 10, 15))},
         {**NBN_SINCE_JUNE, **_bed_nights(date(2026, 8, 3))}],
        {BED_NIGHTS: ["2", "0", "0.00%"]}),
    "q6f no bed night: the project start is the last": (
        [NBN_SINCE_JUNE, {**NBN, "enrollment": {"EntryDate": date(2026, 8, 3)}}],
        {BED_NIGHTS: ["2", "1", "50.00%"]}),
    "q6f bed night older than the window": (
        [{**NBN_SINCE_JUNE, **_bed_nights(date(2026, 7, 15), date(2026, 8, 2))},
         {**NBN_SINCE_JUNE, **_bed_nights(date(2026, 5, 20))},
         # A bed night before the project start is not this stay's: the start (08/03, 90 days) is the last.
         {**NBN, "enrollment": {"EntryDate": date(2026, 8, 3)}, **_bed_nights(date(2026, 7, 1))}],
        {BED_NIGHTS: ["3", "2", "66.67%"]}),
    "q6f only bed nights up to the report end count": (
        [{**NBN_SINCE_JUNE, **_bed_nights(date(2026, 11, 5))},
         {**NBN_SINCE_JUNE, **_bed_nights(date(2026, 10, 15), RecordType=141)},
         {**NBN_SINCE_JUNE, **_bed_nights(date(2026, 10, 15), DateDeleted=datetime(2026, 10, 20))}],
        {BED_NIGHTS: ["3", "3", "100.00%"]}),
    "q6f a bed night before a short report period still counts": (
        [{**NBN_SINCE_JUNE, **_bed_nights(date(2026, 9, 15))}],
        {BED_NIGHTS: ["1", "0", "0.00%"], ("counts", "clients"): 1}, date(2026, 10, 1)),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_q6_cells(sandbox_session, ws, case):
    people, expected, *rest = CASES[case]
    report = _run(sandbox_session, ws, _people(*people), start=rest[0] if rest else None)
    found = {}
    for (table, row) in expected:
        if table == "counts":
            found[(table, row)] = report.counts[row]
        else:
            r = next(r for r in report.table(table).rows if r.label == row)
            found[(table, row)] = [c.text for c in r.cells]
    assert found == expected


def test_q6_clean_records_have_no_findings(sandbox_session, ws):
    report = _run(sandbox_session, ws, _people({}, *_exits({}), {**SO, "contacts": (date(2026, 10, 20),)},
                                                {"project_type": hud.TH}))
    errors = {k: v for k, v in report.counts.items()
              if v and k.rsplit("_", 1)[-1] in ("dk", "missing", "issue", "total", "inactive")}
    assert errors == {}


def _day(on: date) -> sa.BindParameter:
    return sa.literal(on, sa.Date)


@pytest.mark.parametrize("expression, expected", [
    (Ymd(_day(date(2026, 3, 5))), 20260305),
    (YmdDate(sa.literal(20260305)), date(2026, 3, 5)),
    (Days(_day(date(2026, 3, 5)), _day(date(2026, 2, 28))), 5),
    (Days(sa.literal(datetime(2026, 3, 5, 23, 30), sa.DateTime), _day(date(2026, 3, 4))), 1),
    (Days(_day(date(2026, 2, 28)), _day(date(2026, 3, 5))), -5),
    (AddYears(_day(date(2024, 3, 1)), sa.literal(2)), date(2026, 3, 1)),
    (StripDigits(sa.literal("12ab3")), "ab"),
    (StripDigits(sa.literal("123")), ""),
], ids=["ymd", "ymd-date", "days", "days-of-a-timestamp", "days-backwards", "add-years", "strip", "strip-all"])
def test_sql_functions_give_the_same_values_on_every_database(sandbox_session, expression, expected):
    assert sandbox_session.execute(sa.select(expression)).scalar_one() == expected


def test_q6_is_one_statement_whatever_the_size(sandbox_session, ws, clock):
    from bench.harness import seed_workspace

    engine = sandbox_session.get_bind()
    _run(sandbox_session, ws, _people({}))
    with count_queries(engine) as small:
        q6.report(sandbox_session, ws.id, end=END)
    big = seed_workspace(sandbox_session, 424242, now=clock.now, clients=300)
    with count_queries(engine) as large:
        report = q6.report(sandbox_session, big, end=clock.now.date())
    assert report.counts["clients"] == 300
    assert small.count == large.count == 1
