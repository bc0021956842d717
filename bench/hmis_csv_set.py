"""A statewide-LSA-sized HMIS CSV FY2026 set, and how long (and how much memory) the sandbox takes to import it.

    python3 manage.py bench --csv-import [--csv-clients 10000]
    python3 -m bench.hmis_csv_set DIR [--clients N]          # only write the set

The set: ``clients`` clients, 1.6 enrollments each (seven in eight exited), the six
4.05–4.10 disability rows at entry and at exit (about 180,000 for 10,000 clients),
income and health at entry and exit, over 40 projects of 20 organizations.  The
import runs in a fresh interpreter (``--measure``) against a new SQLite sandbox
database, and reports seconds and its peak resident memory (``ru_maxrss``).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import lms.hud as hud
from sandbox.csv import FILES

EXPORT_ID = "LSA-BENCH"
STAMP = "2026-10-01 09:00:00"
PROJECT_TYPES = [hud.ES_EE, hud.ES_NBN, hud.TH, hud.PSH, hud.SO, hud.RRH, hud.SSO, hud.HP]


def _writer(directory: Path, name: str):
    fh = (directory / name).open("w", encoding="utf-8", newline="")
    w = csv.writer(fh, lineterminator="\r\n")
    header = [c.header for c in hud.columns(name)]
    w.writerow(header)
    tail = {"DateCreated": STAMP, "DateUpdated": STAMP, "UserID": "bench", "ExportID": EXPORT_ID}

    def row(values: dict) -> None:
        w.writerow([values.get(c.name, tail.get(c.name, "")) for c in hud.columns(name)])

    return fh, row


def write_set(directory: Path, clients: int = 10_000, seed: int = 2026) -> dict[str, int]:
    """Write the set into ``directory``; return rows per file."""
    rnd = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    counts = dict.fromkeys(FILES, 0)
    files = {name: _writer(directory, name) for name in FILES}

    def put(name: str, values: dict) -> None:
        files[name][1](values)
        counts[name] += 1

    put("Export.csv", {"ExportID": EXPORT_ID, "SourceType": 1, "SourceName": "Statewide bench", "ExportDate": STAMP,
                       "ExportStartDate": "2023-10-01", "ExportEndDate": "2026-09-30", "SoftwareName": "bench",
                       "CSVVersion": hud.CSV_VERSION, "ExportPeriodType": 3, "ExportDirective": 2, "HashStatus": 1,
                       "ImplementationID": "bench"})
    put("User.csv", {"UserID": "bench", "UserFirstName": "Bench"})
    cocs = [c for c in hud.codes("CoCCodes") if str(c).startswith("MO-")] or list(hud.codes("CoCCodes"))[:4]
    projects = []
    for o in range(20):
        put("Organization.csv", {"OrganizationID": f"O{o}", "OrganizationName": f"Organization {o}",
                                 "VictimServiceProvider": 0})
        for k in range(2):
            pid, ptype = f"P{o}-{k}", PROJECT_TYPES[(o * 2 + k) % len(PROJECT_TYPES)]
            projects.append((pid, ptype))
            put("Project.csv", {"ProjectID": pid, "OrganizationID": f"O{o}", "ProjectName": f"Project {o}-{k}",
                                "OperatingStartDate": "2015-01-01", "ContinuumProject": 1, "ProjectType": ptype,
                                "HousingType": 1 if ptype in hud.PERMANENT_HOUSING | {hud.ES_EE, hud.TH} else ""})
            put("ProjectCoC.csv", {"ProjectCoCID": pid, "ProjectID": pid, "CoCCode": cocs[o % len(cocs)],
                                   "Geocode": "299999"})
            put("Funder.csv", {"FunderID": pid, "ProjectID": pid, "Funder": 2, "GrantID": f"G{pid}",
                               "StartDate": "2020-01-01"})
    start = date(2023, 10, 1)
    e = 0
    for c in range(clients):
        pid_c = f"C{c:09d}"
        put("Client.csv", {"PersonalID": pid_c, "FirstName": f"First{c}", "LastName": f"Last{c}",
                           "NameDataQuality": 1, "SSNDataQuality": 99, "DOB": f"{rnd.randint(1950, 2005)}-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}",
                           "DOBDataQuality": 1, "Sex": rnd.choice([0, 1]), "AmIndAKNative": 0, "Asian": 0,
                           "BlackAfAmerican": rnd.choice([0, 1]), "HispanicLatinao": 0, "MidEastNAfrican": 0,
                           "NativeHIPacific": 0, "White": 1, "VeteranStatus": rnd.choice([0, 0, 0, 1])})
        for _ in range(2 if c % 5 < 3 else 1):  # 1.6 enrollments per client
            eid, (project, ptype) = f"E{e:09d}", rnd.choice(projects)
            entry = start + timedelta(days=rnd.randint(0, 900))
            put("Enrollment.csv", {"EnrollmentID": eid, "PersonalID": pid_c, "ProjectID": project,
                                   "EntryDate": entry.isoformat(), "HouseholdID": f"H{e:09d}", "RelationshipToHoH": 1,
                                   "EnrollmentCoC": cocs[0], "LivingSituation": 116, "LengthOfStay": 4,
                                   "DisablingCondition": rnd.choice([0, 1])})
            stages = [(hud.STAGE_ENTRY, entry)]
            if e % 8 != 0:
                leave = entry + timedelta(days=rnd.randint(1, 120))
                put("Exit.csv", {"ExitID": f"X{e:09d}", "EnrollmentID": eid, "PersonalID": pid_c,
                                 "ExitDate": leave.isoformat(), "Destination": 116})
                stages.append((hud.STAGE_EXIT, leave))
            for stage, when in stages:
                info = {"EnrollmentID": eid, "PersonalID": pid_c, "InformationDate": when.isoformat(),
                        "DataCollectionStage": stage}
                sid = f"{e:09d}-{stage}"
                put("IncomeBenefits.csv", {**info, "IncomeBenefitsID": f"I{sid}", "IncomeFromAnySource": 1,
                                           "TotalMonthlyIncome": "943.00", "SSI": 1, "SSIAmount": "943.00",
                                           "BenefitsFromAnySource": 0, "InsuranceFromAnySource": 1, "Medicaid": 1})
                put("HealthAndDV.csv", {**info, "HealthAndDVID": f"D{sid}", "DomesticViolenceSurvivor": 0})
                for t in hud.DISABILITY_TYPES:
                    put("Disabilities.csv", {**info, "DisabilitiesID": f"B{sid}-{t}", "DisabilityType": t,
                                             "DisabilityResponse": rnd.choice([0, 0, 1])})
            if ptype == hud.ES_NBN:
                put("Services.csv", {"ServicesID": f"S{e:09d}", "EnrollmentID": eid, "PersonalID": pid_c,
                                     "DateProvided": entry.isoformat(), "RecordType": 200, "TypeProvided": 200})
            e += 1
    for fh, _ in files.values():
        fh.close()
    return counts


def _measure(directory: Path, database: Path) -> dict:
    """Import ``directory`` into a new SQLite sandbox database (run in a fresh interpreter)."""
    import resource
    from datetime import datetime, timezone

    from lms.core import migrate

    url = f"sqlite:///{database}"
    migrate.upgrade(url, "sandbox")
    import sqlalchemy as sa
    from sqlalchemy.orm import Session

    from sandbox import services
    from sandbox.csv.importer import import_directory

    engine = sa.create_engine(url)
    now = datetime(2026, 10, 2, tzinfo=timezone.utc)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with Session(engine) as sdb:
        ws = services.create_workspace(sdb, "bench:csv", user_label="bench", now=now, seed=False)
        started, cpu = time.perf_counter(), time.process_time()
        result = import_directory(sdb, ws.id, directory, now=now, report_path=directory.parent / "report.csv")
        sdb.commit()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "peak_mib": round(peak / 1024),
            "start_mib": round(before / 1024), "rows": sum(result.values()),
            "findings": {s: result.findings.total(s) for s in ("refuse", "skip", "warn")}}


def run(clients: int = 10_000) -> dict:
    """Write the set, import it in a subprocess, print and return the figures."""
    with tempfile.TemporaryDirectory(prefix="hmis-csv-bench-") as tmp:
        directory = Path(tmp) / "set"
        t0 = time.perf_counter()
        counts = write_set(directory, clients)
        print(f"[csv import] wrote {counts['Client.csv']:,} clients, {counts['Enrollment.csv']:,} enrollments, "
              f"{counts['Disabilities.csv']:,} disability rows ({sum(counts.values()):,} rows) in "
              f"{time.perf_counter() - t0:.0f} s")
        out = subprocess.run([sys.executable, "-m", "bench.hmis_csv_set", str(directory), "--measure",
                              str(Path(tmp) / "sandbox.db")], capture_output=True, text=True, check=True)
        figures = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"[csv import] {figures['rows']:,} rows imported in {figures['seconds']} s ({figures['cpu_seconds']} s of "
          f"this process's CPU; the rest is the database and other load), peak {figures['peak_mib']} MiB "
          f"resident (target: under 60 s and 300 MiB); findings {figures['findings']}")
    return {**figures, "files": counts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--measure", type=Path, default=None, help="import DIRECTORY into this new SQLite file")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(_measure(args.directory, args.measure)))
    else:
        print(json.dumps(write_set(args.directory, args.clients)))


if __name__ == "__main__":
    main()
