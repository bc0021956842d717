"""Q6's tables, laid out as HUD's APR shows them, from the counts of ``q6_query`` (pure: counts in, tables out)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from lms.hud import measures as d


@dataclass(frozen=True)
class Cell:
    #: A count, a rate (fraction, None when nobody is counted), or nothing (a cell HUD leaves grey).
    count: int | None = None
    rate: float | None = None
    is_rate: bool = False

    @property
    def text(self) -> str:
        if self.is_rate:
            return d.percent(self.rate)
        return "" if self.count is None else f"{self.count:,}"

    @property
    def empty(self) -> bool:
        return not self.is_rate and self.count is None


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    note: str = ""


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)


DQ_COLUMNS = ("Data Element", "Client Doesn't Know/Prefers Not to Answer", "Information Missing", "Data Issues",
              "Total", "% of Issue Rate")


def _count(counts: Mapping[str, int], key: str) -> Cell:
    return Cell(count=int(counts[key])) if key in counts else Cell()


def _dq_row(counts: Mapping[str, int], label: str, prefix: str, denominator: str, *, note: str = "") -> Row:
    total = int(counts[f"{prefix}_total"])
    return Row(label, (_count(counts, f"{prefix}_dk"), _count(counts, f"{prefix}_missing"),
                       _count(counts, f"{prefix}_issue"), Cell(count=total),
                       Cell(rate=d.rate(total, int(counts[denominator])), is_rate=True)), note)


def q6a(counts: Mapping[str, int]) -> Table:
    rows = [_dq_row(counts, label, key, "clients") for label, key in (
        ("Name (3.01)", "name"), ("Social Security Number (3.02)", "ssn"), ("Date of Birth (3.03)", "dob"),
        ("Race and Ethnicity (3.04)", "race"))]
    rows.append(Row("Overall Score", (Cell(), Cell(), Cell(), Cell(count=int(counts["pii_total"])),
                                      Cell(rate=d.rate(int(counts["pii_total"]), int(counts["clients"])), is_rate=True))))
    rows.append(_dq_row(counts, "Sex (3.06.1)", "sex", "clients",
                        note="Not in HUD's FY2026 table (which dropped Gender, 3.06) and not in the overall score."))
    return Table("q6a", "Q6a. Data Quality: Personally Identifiable Information", DQ_COLUMNS, tuple(rows),
                 ("Every client reported, once each, through their latest enrollment in the period.",))


def q6b(counts: Mapping[str, int]) -> Table:
    return Table("q6b", "Q6b. Data Quality: Universal Data Elements", DQ_COLUMNS, (
        _dq_row(counts, "Veteran Status (3.07)", "veteran", "veteran_den"),
        _dq_row(counts, "Project Start Date (3.10)", "start", "clients"),
        _dq_row(counts, "Relationship to Head of Household (3.15)", "relationship", "clients"),
        _dq_row(counts, "Enrollment CoC (3.16)", "coc", "coc_den"),
        _dq_row(counts, "Disabling Condition (3.08)", "disabling", "clients"),
    ), ("Veteran status: adults who didn't answer and children recorded as veterans, of everyone with an age.",
        "Project start date: an enrollment starting inside an earlier one in the same project (overlap).",
        "Enrollment CoC: heads of household only.",
        "Disabling condition: also \"no\" while a 4.05-4.10 answer makes the condition disabling."))


def q6c(counts: Mapping[str, int]) -> Table:
    return Table("q6c", "Q6c. Data Quality: Income and Housing Data Quality", DQ_COLUMNS, (
        _dq_row(counts, "Destination (3.12)", "destination", "destination_den"),
        _dq_row(counts, "Income and Sources (4.02) at Start", "income_start", "income_start_den"),
        _dq_row(counts, "Income and Sources (4.02) at Annual Assessment", "income_annual", "income_annual_den"),
        _dq_row(counts, "Income and Sources (4.02) at Exit", "income_exit", "income_exit_den"),
    ), ("Destination: leavers. Income: adults and heads of household (at exit: leavers; annual: stayers "
        f"whose household reached an anniversary, assessed within {d.ANNUAL_WINDOW_DAYS} days of it).",))


Q6D_COLUMNS = ("Entering into project type", "Count of total records", "Missing time in institution (3.917.2)",
               "Missing time in housing (3.917.2)", "Approximate date this episode started (3.917.3) DK/PNTA/missing",
               "Number of times (3.917.4) DK/PNTA/missing", "Number of months (3.917.5) DK/PNTA/missing",
               "% of records unable to calculate")


def q6d(counts: Mapping[str, int]) -> Table:
    rows = []
    for g in d.PROJECT_GROUPS:
        def n(name: str, key: str = g.key) -> int:
            return int(counts[f"{name}__{key}"])

        grey = g.literally_homeless
        rows.append(Row(g.label, (
            Cell(count=n("chronic")), Cell() if grey else Cell(count=n("ch_institution")),
            Cell() if grey else Cell(count=n("ch_housing")), Cell(count=n("ch_date")), Cell(count=n("ch_times")),
            Cell(count=n("ch_months")), Cell(rate=d.rate(n("ch_unable"), n("chronic")), is_rate=True))))
    total = sum(int(counts[f"chronic__{g.key}"]) for g in d.PROJECT_GROUPS)
    unable = sum(int(counts[f"ch_unable__{g.key}"]) for g in d.PROJECT_GROUPS)
    rows.append(Row("Total", (Cell(count=total), Cell(), Cell(), Cell(), Cell(), Cell(),
                              Cell(rate=d.rate(unable, total), is_rate=True))))
    return Table("q6d", "Q6d. Data Quality: Chronic Homelessness", Q6D_COLUMNS, tuple(rows), (
        f"Adults and heads of household with a project start on or after {d.CHRONIC_FROM:%m/%d/%Y}.",
        "ES, SH and street outreach ask 3.917A (everyone is homeless), so time in institution or housing is not "
        "asked there; elsewhere dates, times and months count only where 3.917B asks them."))


def q6e(counts: Mapping[str, int]) -> Table:
    rows = [Row(b.label, (_count(counts, f"start_{b.key}"), _count(counts, f"exit_{b.key}")))
            for b in d.TIMELINESS_BUCKETS]
    return Table("q6e", "Q6e. Data Quality: Timeliness", (
        "Time for Record Entry", "Number of Project Start Records", "Number of Project Exit Records"), tuple(rows),
        ("Days from the project start (or exit) date to the day the record was created.",))


def missouri(counts: Mapping[str, int]) -> Table:
    rows = (Row(f"Entered within 72 hours (0-{d.MISSOURI_MAX_DAYS} days)",
                (_count(counts, "start_mo_met"), _count(counts, "exit_mo_met"))),
            Row(f"Entered later ({d.MISSOURI_MAX_DAYS + 1}+ days)",
                (_count(counts, "start_mo_late"), _count(counts, "exit_mo_late"))))
    return Table("missouri", "Missouri's 72-hour entry rule", (
        "Entry", "Number of Project Start Records", "Number of Project Exit Records"), rows, (
        f"{d.MISSOURI_RULE_SECTION}: \u201c{d.MISSOURI_RULE_TEXT}\u201d",
        "HMIS dates carry no hour, so a record created up to 3 days after its date is given the benefit of "
        "the doubt."))


def q6f(counts: Mapping[str, int]) -> Table:
    def row(label: str, prefix: str) -> Row:
        den, inactive = int(counts[f"{prefix}_den"]), int(counts[f"{prefix}_inactive"])
        return Row(label, (Cell(count=den), Cell(count=inactive), Cell(rate=d.rate(inactive, den), is_rate=True)))

    return Table("q6f", "Q6f. Data Quality: Inactive Records: Street Outreach and Emergency Shelter", (
        "Data Element", "# of Records", "# of Inactive Records", "% of Inactive Records"), (
        row("Contact (Adults and Heads of Household in Street Outreach)", "contact"),
        row("Bed Night (All Clients in ES-NbN)", "bed"),
    ), (f"Open enrollments that started at least {d.INACTIVE_AFTER_DAYS} days before the report end; inactive "
        f"means no contact (4.12) or bed night (4.14) in the last {d.INACTIVE_AFTER_DAYS} days, the project start "
        "counting as one when none was recorded after it.",))


def tables(counts: Mapping[str, int]) -> tuple[Table, ...]:
    return (q6a(counts), q6b(counts), q6c(counts), q6d(counts), q6e(counts), missouri(counts), q6f(counts))
