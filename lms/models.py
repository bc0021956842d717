"""Import every LMS model so that Base.metadata knows all tables (Alembic, tests)."""

from lms.accounts.models import AgencyMembership, RoleGrant, User  # noqa: F401
from lms.auth.models import LoginThrottle, PasswordResetToken, RecoveryCode, UserSession  # noqa: F401
from lms.core.audit import AuditEvent  # noqa: F401
from lms.core.jobs import JobRun  # noqa: F401
from lms.core.page_versions import PageDataVersion  # noqa: F401
from lms.core.mail import OutboxMessage  # noqa: F401
from lms.core.settings import Setting  # noqa: F401
from lms.orgs.models import Agency, Coc, Project  # noqa: F401
from lms.training.models import Evidence, PlanRequirement, TrainingPlan, UpraPolicy, UpraSignature, UpraVersion  # noqa: F401,E501
from lms.accounts.requests.models import AccessInvitation, AccessRequest, AccessRequestProject  # noqa: F401
from lms.accounts.revocations.models import RevocationNotice  # noqa: F401
from lms.accounts.sanctions.models import Suspension, Violation  # noqa: F401
from lms.credentials.models import LiveCredential  # noqa: F401
from lms.recert.models import RecertCycle, RecertReminder, RecertSuspension  # noqa: F401
from lms.certificates.models import Certificate  # noqa: F401
from lms.api.models import ApiToken, ApiTokenReach  # noqa: F401
