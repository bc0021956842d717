"""Keep the fourteen further HMIS CSV FY2026 files (User, Funder, ProjectCoC ... YouthEducationStatus) per
workspace, and every import's report (runs and findings) for administrators.

Revision ID: s0002
Revises: s0001
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa
import lms.core.types


revision = 's0002'
down_revision = 's0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('import_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_ref', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('started_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.Column('report_path', sa.String(length=500), nullable=False),
    sa.Column('rows_kept', sa.Integer(), nullable=False),
    sa.Column('refused', sa.Integer(), nullable=False),
    sa.Column('skipped', sa.Integer(), nullable=False),
    sa.Column('warned', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_runs'))
    )
    op.create_table('affiliations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('AffiliationID', sa.String(length=32), nullable=False),
    sa.Column('ProjectID', sa.String(length=32), nullable=True),
    sa.Column('ResProjectID', sa.String(length=32), nullable=True),
    sa.Column('DateCreated', sa.DateTime(), nullable=True),
    sa.Column('DateUpdated', sa.DateTime(), nullable=True),
    sa.Column('UserID', sa.String(length=32), nullable=True),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_affiliations_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_affiliations')),
    sa.UniqueConstraint('workspace_id', 'AffiliationID', name='uq_affiliations_key')
    )
    op.create_index(op.f('ix_affiliations_workspace_id'), 'affiliations', ['workspace_id'], unique=False)
    op.create_table('assessment_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('AssessmentQuestionID', sa.String(length=32), nullable=False),
    sa.Column('AssessmentID', sa.String(length=32), nullable=True),
    sa.Column('EnrollmentID', sa.String(length=32), nullable=True),
    sa.Column('PersonalID', sa.String(length=32), nullable=True),
    sa.Column('AssessmentQuestionGroup', sa.String(length=250), nullable=True),
    sa.Column('AssessmentQuestionOrder', sa.Integer(), nullable=True),
    sa.Column('AssessmentQuestion', sa.String(length=250), nullable=True),
    sa.Column('AssessmentAnswer', sa.String(length=500), nullable=True),
    sa.Column('DateCreated', sa.DateTime(), nullable=True),
    sa.Column('DateUpdated', sa.DateTime(), nullable=True),
    sa.Column('UserID', sa.String(length=32), nullable=True),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_assessment_questions_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_questions')),
    sa.UniqueConstraint('workspace_id', 'AssessmentQuestionID', name='uq_assessment_questions_key')
    )
    op.create_index(op.f('ix_assessment_questions_workspace_id'), 'assessment_questions', ['workspace_id'], unique=False)
    op.create_table('assessment_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('AssessmentResultID', sa.String(length=32), nullable=False),
    sa.Column('AssessmentID', sa.String(length=32), nullable=True),
    sa.Column('EnrollmentID', sa.String(length=32), nullable=True),
    sa.Column('PersonalID', sa.String(length=32), nullable=True),
    sa.Column('AssessmentResultType', sa.String(length=250), nullable=True),
    sa.Column('AssessmentResult', sa.String(length=250), nullable=True),
    sa.Column('DateCreated', sa.DateTime(), nullable=True),
    sa.Column('DateUpdated', sa.DateTime(), nullable=True),
    sa.Column('UserID', sa.String(length=32), nullable=True),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_assessment_results_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_results')),
    sa.UniqueConstraint('workspace_id', 'AssessmentResultID', name='uq_assessment_results_key')
    )
    op.create_index(op.f('ix_assessment_results_workspace_id'), 'assessment_results', ['workspace_id'], unique=False)
    op.create_table('ce_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('AssessmentID', sa.String(length=32), nullable=False),
    sa.Column('EnrollmentID', sa.String(length=32), nullable=True),
    sa.Column('PersonalID', sa.String(length=32), nullable=True),
    sa.Column('AssessmentDate', sa.Date(), nullable=True),
    sa.Column('AssessmentLocation', sa.String(length=250), nullable=True),
    sa.Column('AssessmentType', sa.Integer(), nullable=True),
    sa.Column('AssessmentLevel', sa.Integer(), nullable=True),
    sa.Column('PrioritizationStatus', sa.Integer(), nullable=True),
    sa.Column('DateCreated', sa.DateTime(), nullable=True),
    sa.Column('DateUpdated', sa.DateTime(), nullable=True),
    sa.Column('UserID', sa.String(length=32), nullable=True),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_ce_assessments_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_assessments')),
    sa.UniqueConstraint('workspace_id', 'AssessmentID', name='uq_ce_assessments_key')
    )
    op.create_index(op.f('ix_ce_assessments_workspace_id'), 'ce_assessments', ['workspace_id'], unique=False)
    op.create_table('ce_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('EventID', sa.String(length=32), nullable=False),
    sa.Column('EnrollmentID', sa.String(length=32), nullable=True),
    sa.Column('PersonalID', sa.String(length=32), nullable=True),
    sa.Column('EventDate', sa.Date(), nullable=True),
    sa.Column('Event', sa.Integer(), nullable=True),
    sa.Column('ProbSolDivRRResult', sa.Integer(), nullable=True),
    sa.Column('ReferralCaseManageAfter', sa.Integer(), nullable=True),
    sa.Column('LocationCrisisOrPHHousing', sa.String(length=250), nullable=True),
    sa.Column('ReferralResult', sa.Integer(), nullable=True),
    sa.Column('ResultDate', sa.Date(), nullable=True),
    sa.Column('DateCreated', sa.DateTime(), nullable=True),
    sa.Column('DateUpdated', sa.DateTime(), nullable=True),
    sa.Column('UserID', sa.String(length=32), nullable=True),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_ce_events_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_events')),
    sa.UniqueConstraint('workspace_id', 'EventID', name='uq_ce_events_key')
    )
    op.create_index(op.f('ix_ce_events_workspace_id'), 'ce_events', ['workspace_id'], unique=False)
    op.create_table('ce_participations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('CEParticipationID', sa.String(length=32), nullable=False),
    sa.Column('ProjectID', sa.String(length=32), nullable=True),
    sa.Column('AccessPoint', sa.Integer(), nullable=True),
    sa.Column('PreventionAssessment', sa.Integer(), nullable=True),
    sa.Column('CrisisAssessment', sa.Integer(), nullable=True),
    sa.Column('HousingAssessment', sa.Integer(), nullable=True),
    sa.Column('DirectServices', sa.Integer(), nullable=True),
    sa.Column('ReceivesReferrals', sa.Integer(), nullable=True),
    sa.Column('CEParticipationStatusStartDate', sa.Date(), nullable=True),
    sa.Column('CEParticipationStatusEndDate', sa.Date(), nullable=True),
    sa.Column('DateCreated', sa.DateTime(), nullable=True),
    sa.Column('DateUpdated', sa.DateTime(), nullable=True),
    sa.Column('UserID', sa.String(length=32), nullable=True),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_ce_participations_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ce_participations')),
    sa.UniqueConstraint('workspace_id', 'CEParticipationID', name='uq_ce_participations_key')
    )
    op.create_index(op.f('ix_ce_participations_workspace_id'), 'ce_participations', ['workspace_id'], unique=False)
    op.create_table('employment_educations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('EmploymentEducationID', sa.String(length=32), nullable=False),
    sa.Column('EnrollmentID', sa.String(length=32), nullable=True),
    sa.Column('PersonalID', sa.String(length=32), nullable=True),
    sa.Column('InformationDate', sa.Date(), nullable=True),
    sa.Column('LastGradeCompleted', sa.Integer(), nullable=True),
    sa.Column('SchoolStatus', sa.Integer(), nullable=True),
    sa.Column('Employed', sa.Integer(), nullable=True),
    sa.Column('EmploymentType', sa.Integer(), nullable=True),
    sa.Column('NotEmployedReason', sa.Integer(), nullable=True),
    sa.Column('DataCollectionStage', sa.Integer(), nullable=True),
    sa.Column('DateCreated', sa.DateTime(), nullable=True),
    sa.Column('DateUpdated', sa.DateTime(), nullable=True),
    sa.Column('UserID', sa.String(length=32), nullable=True),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_employment_educations_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employment_educations')),
    sa.UniqueConstraint('workspace_id', 'EmploymentEducationID', name='uq_employment_educations_key')
    )
    op.create_index(op.f('ix_employment_educations_workspace_id'), 'employment_educations', ['workspace_id'], unique=False)
    op.create_table('funders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('FunderID', sa.String(length=32), nullable=False),
    sa.Column('ProjectID', sa.String(length=32), nullable=True),
    sa.Column('Funder', sa.Integer(), nullable=True),
    sa.Column('OtherFunder', sa.String(length=100), nullable=True),
    sa.Column('GrantID', sa.String(length=100), nullable=True),
    sa.Column('StartDate', sa.Date(), nullable=True),
    sa.Column('EndDate', sa.Date(), nullable=True),
    sa.Column('DateCreated', sa.DateTime(), nullable=True),
    sa.Column('DateUpdated', sa.DateTime(), nullable=True),
    sa.Column('UserID', sa.String(length=32), nullable=True),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_funders_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funders')),
    sa.UniqueConstraint('workspace_id', 'FunderID', name='uq_funders_key')
    )
    op.create_index(op.f('ix_funders_workspace_id'), 'funders', ['workspace_id'], unique=False)
    op.create_table('hmis_participations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('HMISParticipationID', sa.String(length=32), nullable=False),
    sa.Column('ProjectID', sa.String(length=32), nullable=True),
    sa.Column('HMISParticipationType', sa.Integer(), nullable=True),
    sa.Column('HMISParticipationStatusStartDate', sa.Date(), nullable=True),
    sa.Column('HMISParticipationStatusEndDate', sa.Date(), nullable=True),
    sa.Column('DateCreated', sa.DateTime(), nullable=True),
    sa.Column('DateUpdated', sa.DateTime(), nullable=True),
    sa.Column('UserID', sa.String(length=32), nullable=True),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_hmis_participations_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hmis_participations')),
    sa.UniqueConstraint('workspace_id', 'HMISParticipationID', name='uq_hmis_participations_key')
    )
    op.create_index(op.f('ix_hmis_participations_workspace_id'), 'hmis_participations', ['workspace_id'], unique=False)
    op.create_table('hud_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('UserID', sa.String(length=32), nullable=False),
    sa.Column('UserFirstName', sa.String(length=50), nullable=True),
    sa.Column('UserLastName', sa.String(length=50), nullable=True),
    sa.Column('UserPhone', sa.String(length=10), nullable=True),
    sa.Column('UserExtension', sa.String(length=5), nullable=True),
    sa.Column('UserEmail', sa.String(length=320), nullable=True),
    sa.Column('DateCreated', sa.DateTime(), nullable=True),
    sa.Column('DateUpdated', sa.DateTime(), nullable=True),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_hud_users_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hud_users')),
    sa.UniqueConstraint('workspace_id', 'UserID', name='uq_hud_users_key')
    )
    op.create_index(op.f('ix_hud_users_workspace_id'), 'hud_users', ['workspace_id'], unique=False)
    op.create_table('import_findings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('file', sa.String(length=64), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('column', sa.String(length=64), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('severity', sa.String(length=8), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['import_runs.id'], name=op.f('fk_import_findings_run_id_import_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_findings'))
    )
    op.create_index(op.f('ix_import_findings_run_id'), 'import_findings', ['run_id'], unique=False)
    op.create_table('inventories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('InventoryID', sa.String(length=32), nullable=False),
    sa.Column('ProjectID', sa.String(length=32), nullable=True),
    sa.Column('CoCCode', sa.String(length=6), nullable=True),
    sa.Column('HouseholdType', sa.Integer(), nullable=True),
    sa.Column('Availability', sa.Integer(), nullable=True),
    sa.Column('UnitInventory', sa.Integer(), nullable=True),
    sa.Column('BedInventory', sa.Integer(), nullable=True),
    sa.Column('CHVetBedInventory', sa.Integer(), nullable=True),
    sa.Column('YouthVetBedInventory', sa.Integer(), nullable=True),
    sa.Column('VetBedInventory', sa.Integer(), nullable=True),
    sa.Column('CHYouthBedInventory', sa.Integer(), nullable=True),
    sa.Column('YouthBedInventory', sa.Integer(), nullable=True),
    sa.Column('CHBedInventory', sa.Integer(), nullable=True),
    sa.Column('OtherBedInventory', sa.Integer(), nullable=True),
    sa.Column('ESBedType', sa.Integer(), nullable=True),
    sa.Column('InventoryStartDate', sa.Date(), nullable=True),
    sa.Column('InventoryEndDate', sa.Date(), nullable=True),
    sa.Column('DateCreated', sa.DateTime(), nullable=True),
    sa.Column('DateUpdated', sa.DateTime(), nullable=True),
    sa.Column('UserID', sa.String(length=32), nullable=True),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_inventories_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventories')),
    sa.UniqueConstraint('workspace_id', 'InventoryID', name='uq_inventories_key')
    )
    op.create_index(op.f('ix_inventories_workspace_id'), 'inventories', ['workspace_id'], unique=False)
    op.create_table('project_cocs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('ProjectCoCID', sa.String(length=32), nullable=False),
    sa.Column('ProjectID', sa.String(length=32), nullable=True),
    sa.Column('CoCCode', sa.String(length=6), nullable=True),
    sa.Column('Geocode', sa.String(length=6), nullable=True),
    sa.Column('Address1', sa.String(length=100), nullable=True),
    sa.Column('Address2', sa.String(length=100), nullable=True),
    sa.Column('City', sa.String(length=50), nullable=True),
    sa.Column('State', sa.String(length=2), nullable=True),
    sa.Column('ZIP', sa.String(length=5), nullable=True),
    sa.Column('GeographyType', sa.Integer(), nullable=True),
    sa.Column('DateCreated', sa.DateTime(), nullable=True),
    sa.Column('DateUpdated', sa.DateTime(), nullable=True),
    sa.Column('UserID', sa.String(length=32), nullable=True),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_project_cocs_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_cocs')),
    sa.UniqueConstraint('workspace_id', 'ProjectCoCID', name='uq_project_cocs_key')
    )
    op.create_index(op.f('ix_project_cocs_workspace_id'), 'project_cocs', ['workspace_id'], unique=False)
    op.create_table('services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('ServicesID', sa.String(length=32), nullable=False),
    sa.Column('EnrollmentID', sa.String(length=32), nullable=True),
    sa.Column('PersonalID', sa.String(length=32), nullable=True),
    sa.Column('DateProvided', sa.Date(), nullable=True),
    sa.Column('RecordType', sa.Integer(), nullable=True),
    sa.Column('TypeProvided', sa.Integer(), nullable=True),
    sa.Column('OtherTypeProvided', sa.String(length=50), nullable=True),
    sa.Column('MovingOnOtherType', sa.String(length=50), nullable=True),
    sa.Column('SubTypeProvided', sa.Integer(), nullable=True),
    sa.Column('FAAmount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('FAStartDate', sa.Date(), nullable=True),
    sa.Column('FAEndDate', sa.Date(), nullable=True),
    sa.Column('ReferralOutcome', sa.Integer(), nullable=True),
    sa.Column('DateCreated', sa.DateTime(), nullable=True),
    sa.Column('DateUpdated', sa.DateTime(), nullable=True),
    sa.Column('UserID', sa.String(length=32), nullable=True),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_services_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_services')),
    sa.UniqueConstraint('workspace_id', 'ServicesID', name='uq_services_key')
    )
    op.create_index(op.f('ix_services_workspace_id'), 'services', ['workspace_id'], unique=False)
    op.create_table('youth_education_statuses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('YouthEducationStatusID', sa.String(length=32), nullable=False),
    sa.Column('EnrollmentID', sa.String(length=32), nullable=True),
    sa.Column('PersonalID', sa.String(length=32), nullable=True),
    sa.Column('InformationDate', sa.Date(), nullable=True),
    sa.Column('CurrentSchoolAttend', sa.Integer(), nullable=True),
    sa.Column('MostRecentEdStatus', sa.Integer(), nullable=True),
    sa.Column('CurrentEdStatus', sa.Integer(), nullable=True),
    sa.Column('DataCollectionStage', sa.Integer(), nullable=True),
    sa.Column('DateCreated', sa.DateTime(), nullable=True),
    sa.Column('DateUpdated', sa.DateTime(), nullable=True),
    sa.Column('UserID', sa.String(length=32), nullable=True),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_youth_education_statuses_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_youth_education_statuses')),
    sa.UniqueConstraint('workspace_id', 'YouthEducationStatusID', name='uq_youth_education_statuses_key')
    )
    op.create_index(op.f('ix_youth_education_statuses_workspace_id'), 'youth_education_statuses', ['workspace_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_youth_education_statuses_workspace_id'), table_name='youth_education_statuses')
    op.drop_table('youth_education_statuses')
    op.drop_index(op.f('ix_services_workspace_id'), table_name='services')
    op.drop_table('services')
    op.drop_index(op.f('ix_project_cocs_workspace_id'), table_name='project_cocs')
    op.drop_table('project_cocs')
    op.drop_index(op.f('ix_inventories_workspace_id'), table_name='inventories')
    op.drop_table('inventories')
    op.drop_index(op.f('ix_import_findings_run_id'), table_name='import_findings')
    op.drop_table('import_findings')
    op.drop_index(op.f('ix_hud_users_workspace_id'), table_name='hud_users')
    op.drop_table('hud_users')
    op.drop_index(op.f('ix_hmis_participations_workspace_id'), table_name='hmis_participations')
    op.drop_table('hmis_participations')
    op.drop_index(op.f('ix_funders_workspace_id'), table_name='funders')
    op.drop_table('funders')
    op.drop_index(op.f('ix_employment_educations_workspace_id'), table_name='employment_educations')
    op.drop_table('employment_educations')
    op.drop_index(op.f('ix_ce_participations_workspace_id'), table_name='ce_participations')
    op.drop_table('ce_participations')
    op.drop_index(op.f('ix_ce_events_workspace_id'), table_name='ce_events')
    op.drop_table('ce_events')
    op.drop_index(op.f('ix_ce_assessments_workspace_id'), table_name='ce_assessments')
    op.drop_table('ce_assessments')
    op.drop_index(op.f('ix_assessment_results_workspace_id'), table_name='assessment_results')
    op.drop_table('assessment_results')
    op.drop_index(op.f('ix_assessment_questions_workspace_id'), table_name='assessment_questions')
    op.drop_table('assessment_questions')
    op.drop_index(op.f('ix_affiliations_workspace_id'), table_name='affiliations')
    op.drop_table('affiliations')
    op.drop_table('import_runs')
