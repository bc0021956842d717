"""Seed a believable demo world: the manual's four CoCs, agencies, projects and one person per role.

Idempotent: a second run finds what exists and creates nothing.  Passwords are
random, printed once by the CLI, and must be changed at first sign-in (the
policy: a password someone else set is temporary).  Staff get a TOTP secret,
printed with its ``otpauth://`` URI, because every staff role needs TOTP, and
their recovery codes, printed once too.  The addresses are on ``example.org``
(reserved for examples, yet accepted by the app's forms, "forgot password" included).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pyotp
import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.accounts import services as accounts
from lms.accounts.models import User
from lms.auth.services import new_recovery_codes
from lms.auth.passwords import PasswordHashing
from lms.core import signals
from lms.core.roles import Role
from lms.orgs.models import Agency, Coc, Project

DOMAIN = "demo.example.org"

#: The four CoCs that approved the policy manual (HUD CoC codes).
COCS = [
    ("MO-606", "Missouri Balance of State CoC"),
    ("MO-600", "Springfield/Greene, Christian, Webster Counties CoC"),
    ("MO-602", "Joplin/Jasper, Newton Counties CoC"),
    ("MO-603", "St. Joseph/Andrew, Buchanan, DeKalb Counties CoC"),
]

#: (CoC code, agency name, APA signed this many days before today, [(project name, HUD project type)]).
AGENCIES = [
    ("MO-606", "Harbor Light Family Services", 120, [
        ("Harbor Light Emergency Shelter", 0), ("Harbor Light Rapid Re-Housing", 13)]),
    ("MO-606", "Ozark Rural Outreach", 400, [  # renewal overdue: signed over a year ago
        ("Ozark Street Outreach", 4), ("Ozark Homelessness Prevention", 12)]),
    ("MO-606", "Missouri Veterans Housing Partnership", 30, [
        ("Veterans Permanent Supportive Housing", 3)]),
    ("MO-600", "Springfield Gathering Tree", 200, [
        ("Gathering Tree Night-by-Night Shelter", 1), ("Gathering Tree Day Center", 11)]),
    ("MO-600", "Greene County Coordinated Access", 90, [
        ("Greene County Coordinated Entry", 14)]),
    ("MO-602", "Joplin Watered Gardens", 60, [
        ("Watered Gardens Transitional Housing", 2), ("Watered Gardens Services Only", 6)]),
    ("MO-603", "St. Joseph Youth Alliance", 150, [
        ("Youth Alliance Safe Haven", 8), ("Youth Alliance Permanent Housing", 9)]),
]

#: One person per role: (role, e-mail local part, full name, agency name for agency-scoped roles, CoC code).
PEOPLE = [
    (Role.END_USER, "end.user", "Erin Enduser", "Harbor Light Family Services", None),
    (Role.AGENCY_REP, "agency.rep", "Avery Agencyrep", "Harbor Light Family Services", None),
    (Role.HELPDESK, "helpdesk", "Harper Helpdesk", None, None),
    (Role.SYSADMIN, "sysadmin", "Sam Sysadmin", None, None),
    (Role.HMIS_MANAGER, "hmis.manager", "Morgan Manager", None, "MO-606"),
    (Role.LEAD_ADMIN, "lead.admin", "Lee Leadadmin", None, None),
]


@dataclass
class DemoPerson:
    email: str
    role: Role
    password: str | None  #: None when the person existed and passwords were not reset
    totp_secret: str | None
    totp_uri: str | None
    #: Staff only, printed once with the password (each works once instead of a TOTP code).
    recovery_codes: list[str] = field(default_factory=list)


@dataclass
class DemoResult:
    created_orgs: int = 0
    people: list[DemoPerson] = field(default_factory=list)

    @property
    def created_anything(self) -> bool:
        return self.created_orgs > 0 or any(p.password for p in self.people)


def _coc(db_session: Session, code: str, name: str, now: datetime, result: DemoResult) -> Coc:
    coc = db_session.execute(sa.select(Coc).where(Coc.code == code)).scalar_one_or_none()
    if coc is None:
        coc = Coc(code=code, name=name, created_at=now)
        db_session.add(coc)
        db_session.flush()
        result.created_orgs += 1
    return coc


def _agency(db_session: Session, coc: Coc, name: str, signed: date, now: datetime, result: DemoResult) -> Agency:
    agency = db_session.execute(
        sa.select(Agency).where(Agency.coc_id == coc.id, Agency.name == name)
    ).scalar_one_or_none()
    if agency is None:
        agency = Agency(coc_id=coc.id, name=name, apa_signed_on=signed,
                        apa_renewal_due=signed.replace(year=signed.year + 1) if not (signed.month == 2 and signed.day == 29)
                        else signed + timedelta(days=365), created_at=now)
        db_session.add(agency)
        db_session.flush()
        result.created_orgs += 1
    return agency


def _project(db_session: Session, agency: Agency, name: str, project_type: int, now: datetime,
             result: DemoResult) -> Project:
    project = db_session.execute(
        sa.select(Project).where(Project.agency_id == agency.id, Project.name == name)
    ).scalar_one_or_none()
    if project is None:
        project = Project(agency_id=agency.id, name=name, project_type=project_type, created_at=now)
        db_session.add(project)
        db_session.flush()
        result.created_orgs += 1
    return project


def seed(db_session: Session, hashing: PasswordHashing, *, now: datetime, issuer: str = "HMIS Training",
         reset_passwords: bool = False) -> DemoResult:
    """Create whatever of the demo world is missing; return the people with any new passwords."""
    result = DemoResult()
    cocs = {code: _coc(db_session, code, name, now, result) for code, name in COCS}
    agencies: dict[str, Agency] = {}
    projects: list[dict] = []
    for coc_code, agency_name, signed_days_ago, project_specs in AGENCIES:
        coc = cocs[coc_code]
        agency = _agency(db_session, coc, agency_name, now.date() - timedelta(days=signed_days_ago), now, result)
        agencies[agency_name] = agency
        for project_name, project_type in project_specs:
            p = _project(db_session, agency, project_name, project_type, now, result)
            projects.append({"id": p.id, "name": p.name, "project_type": p.project_type, "agency_id": agency.id,
                             "agency_name": agency.name, "coc_code": coc.code})

    for role, local, full_name, agency_name, coc_code in PEOPLE:
        email = f"{local}@{DOMAIN}"
        agency = agencies.get(agency_name) if agency_name else None
        coc = cocs.get(coc_code) if coc_code else None
        user = accounts.find_by_email(db_session, email)
        password: str | None = None
        if user is None:
            user, password = accounts.create_user(db_session, hashing, email=email, full_name=full_name, now=now)
            accounts.grant_role(db_session, user, role, now=now, agency=agency, coc=coc)
            if agency is not None:
                accounts.add_membership(db_session, user, agency, started_on=now.date(), now=now)
            if role.is_staff:
                user.totp_secret = pyotp.random_base32()
                user.totp_enrolled_at = now
        elif reset_passwords:
            password = accounts.generate_password()
            user.password_hash = hashing.hash(password)
            user.password_changed_at = now
            user.must_change_password = True
            user.locked_at = None
        secret = user.totp_secret if (password and user.totp_secret) else None
        uri = pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer) if secret else None
        codes = new_recovery_codes(db_session, user, now=now) if secret else []
        result.people.append(DemoPerson(email=email, role=role, password=password, totp_secret=secret, totp_uri=uri,
                                        recovery_codes=codes))

    db_session.flush()
    signals.demo_seeded.send(db_session, projects=projects, now=now)
    return result


def demo_users(db_session: Session) -> list[User]:
    """Return the demo people that exist."""
    return list(db_session.execute(sa.select(User).where(User.email.like(f"%@{DOMAIN}")).order_by(User.id)).scalars())
