"""Create the sandbox: workspaces, the project catalogue, ROI and the HUD FY2026 HMIS CSV tables.

Revision ID: s0001
Revises: 
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa
import lms.core.types


revision = 's0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Generated from the models, then reviewed by hand.
    op.create_table('catalog_projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lms_project_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organization_name', sa.String(length=200), nullable=False),
    sa.Column('project_type', sa.Integer(), nullable=False),
    sa.Column('coc_code', sa.String(length=6), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_projects')),
    sa.UniqueConstraint('lms_project_id', name=op.f('uq_catalog_projects_lms_project_id'))
    )
    op.create_table('workspaces',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=False),
    sa.Column('user_label', sa.String(length=32), nullable=False),
    sa.Column('created_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.Column('reset_at', lms.core.types.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workspaces')),
    sa.UniqueConstraint('ref', name=op.f('uq_workspaces_ref'))
    )
    op.create_table('clients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('PersonalID', sa.String(length=32), nullable=False),
    sa.Column('FirstName', sa.String(length=50), nullable=True),
    sa.Column('MiddleName', sa.String(length=50), nullable=True),
    sa.Column('LastName', sa.String(length=50), nullable=True),
    sa.Column('NameSuffix', sa.String(length=50), nullable=True),
    sa.Column('NameDataQuality', sa.Integer(), nullable=False),
    sa.Column('SSN', sa.String(length=9), nullable=True),
    sa.Column('SSNDataQuality', sa.Integer(), nullable=False),
    sa.Column('DOB', sa.Date(), nullable=True),
    sa.Column('DOBDataQuality', sa.Integer(), nullable=False),
    sa.Column('Sex', sa.Integer(), nullable=True),
    sa.Column('AmIndAKNative', sa.Integer(), nullable=False),
    sa.Column('Asian', sa.Integer(), nullable=False),
    sa.Column('BlackAfAmerican', sa.Integer(), nullable=False),
    sa.Column('HispanicLatinao', sa.Integer(), nullable=False),
    sa.Column('MidEastNAfrican', sa.Integer(), nullable=False),
    sa.Column('NativeHIPacific', sa.Integer(), nullable=False),
    sa.Column('White', sa.Integer(), nullable=False),
    sa.Column('RaceNone', sa.Integer(), nullable=True),
    sa.Column('AdditionalRaceEthnicity', sa.String(length=100), nullable=True),
    sa.Column('VeteranStatus', sa.Integer(), nullable=False),
    sa.Column('YearEnteredService', sa.Integer(), nullable=True),
    sa.Column('YearSeparated', sa.Integer(), nullable=True),
    sa.Column('WorldWarII', sa.Integer(), nullable=True),
    sa.Column('KoreanWar', sa.Integer(), nullable=True),
    sa.Column('VietnamWar', sa.Integer(), nullable=True),
    sa.Column('DesertStorm', sa.Integer(), nullable=True),
    sa.Column('AfghanistanOEF', sa.Integer(), nullable=True),
    sa.Column('IraqOIF', sa.Integer(), nullable=True),
    sa.Column('IraqOND', sa.Integer(), nullable=True),
    sa.Column('OtherTheater', sa.Integer(), nullable=True),
    sa.Column('MilitaryBranch', sa.Integer(), nullable=True),
    sa.Column('DischargeStatus', sa.Integer(), nullable=True),
    sa.Column('DateCreated', sa.DateTime(), nullable=False),
    sa.Column('DateUpdated', sa.DateTime(), nullable=False),
    sa.Column('UserID', sa.String(length=32), nullable=False),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_clients_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clients')),
    sa.UniqueConstraint('workspace_id', 'PersonalID', name=op.f('uq_clients_workspace_id'))
    )
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clients_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('organizations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('OrganizationID', sa.String(length=32), nullable=False),
    sa.Column('OrganizationName', sa.String(length=200), nullable=False),
    sa.Column('VictimServiceProvider', sa.Integer(), nullable=False),
    sa.Column('OrganizationCommonName', sa.String(length=200), nullable=True),
    sa.Column('DateCreated', sa.DateTime(), nullable=False),
    sa.Column('DateUpdated', sa.DateTime(), nullable=False),
    sa.Column('UserID', sa.String(length=32), nullable=False),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_organizations_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations')),
    sa.UniqueConstraint('workspace_id', 'OrganizationID', name=op.f('uq_organizations_workspace_id'))
    )
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organizations_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('coc_code', sa.String(length=6), nullable=True),
    sa.Column('ProjectID', sa.String(length=32), nullable=False),
    sa.Column('OrganizationID', sa.String(length=32), nullable=False),
    sa.Column('ProjectName', sa.String(length=200), nullable=False),
    sa.Column('ProjectCommonName', sa.String(length=200), nullable=True),
    sa.Column('OperatingStartDate', sa.Date(), nullable=False),
    sa.Column('OperatingEndDate', sa.Date(), nullable=True),
    sa.Column('ContinuumProject', sa.Integer(), nullable=False),
    sa.Column('ProjectType', sa.Integer(), nullable=True),
    sa.Column('HousingType', sa.Integer(), nullable=True),
    sa.Column('RRHSubType', sa.Integer(), nullable=True),
    sa.Column('ResidentialAffiliation', sa.Integer(), nullable=True),
    sa.Column('TargetPopulation', sa.Integer(), nullable=True),
    sa.Column('HOPWAMedAssistedLivingFac', sa.Integer(), nullable=True),
    sa.Column('PITCount', sa.Integer(), nullable=True),
    sa.Column('DateCreated', sa.DateTime(), nullable=False),
    sa.Column('DateUpdated', sa.DateTime(), nullable=False),
    sa.Column('UserID', sa.String(length=32), nullable=False),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id', 'OrganizationID'], ['organizations.workspace_id', 'organizations.OrganizationID'], name=op.f('fk_projects_workspace_id_organizations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_projects_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects')),
    sa.UniqueConstraint('workspace_id', 'ProjectID', name=op.f('uq_projects_workspace_id'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projects_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('releases_of_information',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('PersonalID', sa.String(length=32), nullable=False),
    sa.Column('consented', sa.Boolean(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('documentation', sa.String(length=16), nullable=False),
    sa.Column('created_at', lms.core.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id', 'PersonalID'], ['clients.workspace_id', 'clients.PersonalID'], name=op.f('fk_releases_of_information_workspace_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_releases_of_information_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_releases_of_information'))
    )
    with op.batch_alter_table('releases_of_information', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_releases_of_information_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('enrollments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('EnrollmentID', sa.String(length=32), nullable=False),
    sa.Column('PersonalID', sa.String(length=32), nullable=False),
    sa.Column('ProjectID', sa.String(length=32), nullable=False),
    sa.Column('EntryDate', sa.Date(), nullable=False),
    sa.Column('HouseholdID', sa.String(length=32), nullable=False),
    sa.Column('RelationshipToHoH', sa.Integer(), nullable=True),
    sa.Column('EnrollmentCoC', sa.String(length=6), nullable=True),
    sa.Column('LivingSituation', sa.Integer(), nullable=True),
    sa.Column('RentalSubsidyType', sa.Integer(), nullable=True),
    sa.Column('LengthOfStay', sa.Integer(), nullable=True),
    sa.Column('LOSUnderThreshold', sa.Integer(), nullable=True),
    sa.Column('PreviousStreetESSH', sa.Integer(), nullable=True),
    sa.Column('DateToStreetESSH', sa.Date(), nullable=True),
    sa.Column('TimesHomelessPastThreeYears', sa.Integer(), nullable=True),
    sa.Column('MonthsHomelessPastThreeYears', sa.Integer(), nullable=True),
    sa.Column('DisablingCondition', sa.Integer(), nullable=True),
    sa.Column('DateOfEngagement', sa.Date(), nullable=True),
    sa.Column('MoveInDate', sa.Date(), nullable=True),
    sa.Column('DateOfPATHStatus', sa.Date(), nullable=True),
    sa.Column('ClientEnrolledInPATH', sa.Integer(), nullable=True),
    sa.Column('ReasonNotEnrolled', sa.Integer(), nullable=True),
    sa.Column('PercentAMI', sa.Integer(), nullable=True),
    sa.Column('ReferralSource', sa.Integer(), nullable=True),
    sa.Column('CountOutreachReferralApproaches', sa.Integer(), nullable=True),
    sa.Column('DateOfBCPStatus', sa.Date(), nullable=True),
    sa.Column('EligibleForRHY', sa.Integer(), nullable=True),
    sa.Column('ReasonNoServices', sa.Integer(), nullable=True),
    sa.Column('RunawayYouth', sa.Integer(), nullable=True),
    sa.Column('FormerWardChildWelfare', sa.Integer(), nullable=True),
    sa.Column('ChildWelfareYears', sa.Integer(), nullable=True),
    sa.Column('ChildWelfareMonths', sa.Integer(), nullable=True),
    sa.Column('FormerWardJuvenileJustice', sa.Integer(), nullable=True),
    sa.Column('JuvenileJusticeYears', sa.Integer(), nullable=True),
    sa.Column('JuvenileJusticeMonths', sa.Integer(), nullable=True),
    sa.Column('UnemploymentFam', sa.Integer(), nullable=True),
    sa.Column('MentalHealthDisorderFam', sa.Integer(), nullable=True),
    sa.Column('PhysicalDisabilityFam', sa.Integer(), nullable=True),
    sa.Column('AlcoholDrugUseDisorderFam', sa.Integer(), nullable=True),
    sa.Column('InsufficientIncome', sa.Integer(), nullable=True),
    sa.Column('IncarceratedParent', sa.Integer(), nullable=True),
    sa.Column('VAMCStation', sa.String(length=5), nullable=True),
    sa.Column('TargetScreenReqd', sa.Integer(), nullable=True),
    sa.Column('TimeToHousingLoss', sa.Integer(), nullable=True),
    sa.Column('AnnualPercentAMI', sa.Integer(), nullable=True),
    sa.Column('LiteralHomelessHistory', sa.Integer(), nullable=True),
    sa.Column('ClientLeaseholder', sa.Integer(), nullable=True),
    sa.Column('HOHLeaseholder', sa.Integer(), nullable=True),
    sa.Column('SubsidyAtRisk', sa.Integer(), nullable=True),
    sa.Column('EvictionHistory', sa.Integer(), nullable=True),
    sa.Column('CriminalRecord', sa.Integer(), nullable=True),
    sa.Column('IncarceratedAdult', sa.Integer(), nullable=True),
    sa.Column('PrisonDischarge', sa.Integer(), nullable=True),
    sa.Column('SexOffender', sa.Integer(), nullable=True),
    sa.Column('DisabledHoH', sa.Integer(), nullable=True),
    sa.Column('CurrentPregnant', sa.Integer(), nullable=True),
    sa.Column('SingleParent', sa.Integer(), nullable=True),
    sa.Column('DependentUnder6', sa.Integer(), nullable=True),
    sa.Column('HH5Plus', sa.Integer(), nullable=True),
    sa.Column('CoCPrioritized', sa.Integer(), nullable=True),
    sa.Column('HPScreeningScore', sa.Integer(), nullable=True),
    sa.Column('ThresholdScore', sa.Integer(), nullable=True),
    sa.Column('MentalHealthConsultation', sa.Integer(), nullable=True),
    sa.Column('DateCreated', sa.DateTime(), nullable=False),
    sa.Column('DateUpdated', sa.DateTime(), nullable=False),
    sa.Column('UserID', sa.String(length=32), nullable=False),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id', 'PersonalID'], ['clients.workspace_id', 'clients.PersonalID'], name=op.f('fk_enrollments_workspace_id_clients'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id', 'ProjectID'], ['projects.workspace_id', 'projects.ProjectID'], name=op.f('fk_enrollments_workspace_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_enrollments_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollments')),
    sa.UniqueConstraint('workspace_id', 'EnrollmentID', name=op.f('uq_enrollments_workspace_id'))
    )
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.create_index('ix_enrollments_household', ['workspace_id', 'HouseholdID'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollments_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('current_living_situations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('CurrentLivingSitID', sa.String(length=32), nullable=False),
    sa.Column('EnrollmentID', sa.String(length=32), nullable=False),
    sa.Column('PersonalID', sa.String(length=32), nullable=False),
    sa.Column('InformationDate', sa.Date(), nullable=False),
    sa.Column('CurrentLivingSituation', sa.Integer(), nullable=False),
    sa.Column('CLSSubsidyType', sa.Integer(), nullable=True),
    sa.Column('VerifiedBy', sa.String(length=200), nullable=True),
    sa.Column('LeaveSituation14Days', sa.Integer(), nullable=True),
    sa.Column('SubsequentResidence', sa.Integer(), nullable=True),
    sa.Column('ResourcesToObtain', sa.Integer(), nullable=True),
    sa.Column('LeaseOwn60Day', sa.Integer(), nullable=True),
    sa.Column('MovedTwoOrMore', sa.Integer(), nullable=True),
    sa.Column('LocationDetails', sa.String(length=250), nullable=True),
    sa.Column('DateCreated', sa.DateTime(), nullable=False),
    sa.Column('DateUpdated', sa.DateTime(), nullable=False),
    sa.Column('UserID', sa.String(length=32), nullable=False),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id', 'EnrollmentID'], ['enrollments.workspace_id', 'enrollments.EnrollmentID'], name=op.f('fk_current_living_situations_workspace_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_current_living_situations_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_current_living_situations')),
    sa.UniqueConstraint('workspace_id', 'CurrentLivingSitID', name=op.f('uq_current_living_situations_workspace_id'))
    )
    with op.batch_alter_table('current_living_situations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_current_living_situations_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('disabilities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('DisabilitiesID', sa.String(length=32), nullable=False),
    sa.Column('EnrollmentID', sa.String(length=32), nullable=False),
    sa.Column('PersonalID', sa.String(length=32), nullable=False),
    sa.Column('InformationDate', sa.Date(), nullable=False),
    sa.Column('DisabilityType', sa.Integer(), nullable=False),
    sa.Column('DisabilityResponse', sa.Integer(), nullable=False),
    sa.Column('IndefiniteAndImpairs', sa.Integer(), nullable=True),
    sa.Column('TCellCountAvailable', sa.Integer(), nullable=True),
    sa.Column('TCellCount', sa.Integer(), nullable=True),
    sa.Column('TCellSource', sa.Integer(), nullable=True),
    sa.Column('ViralLoadAvailable', sa.Integer(), nullable=True),
    sa.Column('ViralLoad', sa.Integer(), nullable=True),
    sa.Column('ViralLoadSource', sa.Integer(), nullable=True),
    sa.Column('AntiRetroviral', sa.Integer(), nullable=True),
    sa.Column('DataCollectionStage', sa.Integer(), nullable=False),
    sa.Column('DateCreated', sa.DateTime(), nullable=False),
    sa.Column('DateUpdated', sa.DateTime(), nullable=False),
    sa.Column('UserID', sa.String(length=32), nullable=False),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id', 'EnrollmentID'], ['enrollments.workspace_id', 'enrollments.EnrollmentID'], name=op.f('fk_disabilities_workspace_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_disabilities_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disabilities')),
    sa.UniqueConstraint('workspace_id', 'DisabilitiesID', name=op.f('uq_disabilities_workspace_id'))
    )
    with op.batch_alter_table('disabilities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disabilities_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('exits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('ExitID', sa.String(length=32), nullable=False),
    sa.Column('EnrollmentID', sa.String(length=32), nullable=False),
    sa.Column('PersonalID', sa.String(length=32), nullable=False),
    sa.Column('ExitDate', sa.Date(), nullable=False),
    sa.Column('Destination', sa.Integer(), nullable=False),
    sa.Column('DestinationSubsidyType', sa.Integer(), nullable=True),
    sa.Column('OtherDestination', sa.String(length=50), nullable=True),
    sa.Column('HousingAssessment', sa.Integer(), nullable=True),
    sa.Column('SubsidyInformation', sa.Integer(), nullable=True),
    sa.Column('ProjectCompletionStatus', sa.Integer(), nullable=True),
    sa.Column('EarlyExitReason', sa.Integer(), nullable=True),
    sa.Column('ExchangeForSex', sa.Integer(), nullable=True),
    sa.Column('ExchangeForSexPastThreeMonths', sa.Integer(), nullable=True),
    sa.Column('CountOfExchangeForSex', sa.Integer(), nullable=True),
    sa.Column('AskedOrForcedToExchangeForSex', sa.Integer(), nullable=True),
    sa.Column('AskedOrForcedToExchangeForSexPastThreeMonths', sa.Integer(), nullable=True),
    sa.Column('WorkPlaceViolenceThreats', sa.Integer(), nullable=True),
    sa.Column('WorkplacePromiseDifference', sa.Integer(), nullable=True),
    sa.Column('CoercedToContinueWork', sa.Integer(), nullable=True),
    sa.Column('LaborExploitPastThreeMonths', sa.Integer(), nullable=True),
    sa.Column('CounselingReceived', sa.Integer(), nullable=True),
    sa.Column('IndividualCounseling', sa.Integer(), nullable=True),
    sa.Column('FamilyCounseling', sa.Integer(), nullable=True),
    sa.Column('GroupCounseling', sa.Integer(), nullable=True),
    sa.Column('SessionCountAtExit', sa.Integer(), nullable=True),
    sa.Column('PostExitCounselingPlan', sa.Integer(), nullable=True),
    sa.Column('SessionsInPlan', sa.Integer(), nullable=True),
    sa.Column('DestinationSafeClient', sa.Integer(), nullable=True),
    sa.Column('DestinationSafeWorker', sa.Integer(), nullable=True),
    sa.Column('PosAdultConnections', sa.Integer(), nullable=True),
    sa.Column('PosPeerConnections', sa.Integer(), nullable=True),
    sa.Column('PosCommunityConnections', sa.Integer(), nullable=True),
    sa.Column('AftercareDate', sa.Date(), nullable=True),
    sa.Column('AftercareProvided', sa.Integer(), nullable=True),
    sa.Column('EmailSocialMedia', sa.Integer(), nullable=True),
    sa.Column('Telephone', sa.Integer(), nullable=True),
    sa.Column('InPersonIndividual', sa.Integer(), nullable=True),
    sa.Column('InPersonGroup', sa.Integer(), nullable=True),
    sa.Column('CMExitReason', sa.Integer(), nullable=True),
    sa.Column('DateCreated', sa.DateTime(), nullable=False),
    sa.Column('DateUpdated', sa.DateTime(), nullable=False),
    sa.Column('UserID', sa.String(length=32), nullable=False),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id', 'EnrollmentID'], ['enrollments.workspace_id', 'enrollments.EnrollmentID'], name=op.f('fk_exits_workspace_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_exits_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exits')),
    sa.UniqueConstraint('workspace_id', 'EnrollmentID', name='uq_exits_enrollment_id'),
    sa.UniqueConstraint('workspace_id', 'ExitID', name='uq_exits_exit_id')
    )
    with op.batch_alter_table('exits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exits_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('health_and_dv',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('HealthAndDVID', sa.String(length=32), nullable=False),
    sa.Column('EnrollmentID', sa.String(length=32), nullable=False),
    sa.Column('PersonalID', sa.String(length=32), nullable=False),
    sa.Column('InformationDate', sa.Date(), nullable=False),
    sa.Column('DomesticViolenceSurvivor', sa.Integer(), nullable=True),
    sa.Column('WhenOccurred', sa.Integer(), nullable=True),
    sa.Column('CurrentlyFleeing', sa.Integer(), nullable=True),
    sa.Column('GeneralHealthStatus', sa.Integer(), nullable=True),
    sa.Column('DentalHealthStatus', sa.Integer(), nullable=True),
    sa.Column('MentalHealthStatus', sa.Integer(), nullable=True),
    sa.Column('PregnancyStatus', sa.Integer(), nullable=True),
    sa.Column('DueDate', sa.Date(), nullable=True),
    sa.Column('DataCollectionStage', sa.Integer(), nullable=False),
    sa.Column('DateCreated', sa.DateTime(), nullable=False),
    sa.Column('DateUpdated', sa.DateTime(), nullable=False),
    sa.Column('UserID', sa.String(length=32), nullable=False),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id', 'EnrollmentID'], ['enrollments.workspace_id', 'enrollments.EnrollmentID'], name=op.f('fk_health_and_dv_workspace_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_health_and_dv_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_health_and_dv')),
    sa.UniqueConstraint('workspace_id', 'HealthAndDVID', name=op.f('uq_health_and_dv_workspace_id'))
    )
    with op.batch_alter_table('health_and_dv', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_health_and_dv_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('income_benefits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('IncomeBenefitsID', sa.String(length=32), nullable=False),
    sa.Column('EnrollmentID', sa.String(length=32), nullable=False),
    sa.Column('PersonalID', sa.String(length=32), nullable=False),
    sa.Column('InformationDate', sa.Date(), nullable=False),
    sa.Column('IncomeFromAnySource', sa.Integer(), nullable=True),
    sa.Column('TotalMonthlyIncome', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('Earned', sa.Integer(), nullable=True),
    sa.Column('EarnedAmount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('Unemployment', sa.Integer(), nullable=True),
    sa.Column('UnemploymentAmount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('SSI', sa.Integer(), nullable=True),
    sa.Column('SSIAmount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('SSDI', sa.Integer(), nullable=True),
    sa.Column('SSDIAmount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('VADisabilityService', sa.Integer(), nullable=True),
    sa.Column('VADisabilityServiceAmount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('VADisabilityNonService', sa.Integer(), nullable=True),
    sa.Column('VADisabilityNonServiceAmount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('PrivateDisability', sa.Integer(), nullable=True),
    sa.Column('PrivateDisabilityAmount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('WorkersComp', sa.Integer(), nullable=True),
    sa.Column('WorkersCompAmount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('TANF', sa.Integer(), nullable=True),
    sa.Column('TANFAmount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('GA', sa.Integer(), nullable=True),
    sa.Column('GAAmount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('SocSecRetirement', sa.Integer(), nullable=True),
    sa.Column('SocSecRetirementAmount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('Pension', sa.Integer(), nullable=True),
    sa.Column('PensionAmount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('ChildSupport', sa.Integer(), nullable=True),
    sa.Column('ChildSupportAmount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('Alimony', sa.Integer(), nullable=True),
    sa.Column('AlimonyAmount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('OtherIncomeSource', sa.Integer(), nullable=True),
    sa.Column('OtherIncomeAmount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('OtherIncomeSourceIdentify', sa.String(length=50), nullable=True),
    sa.Column('BenefitsFromAnySource', sa.Integer(), nullable=True),
    sa.Column('SNAP', sa.Integer(), nullable=True),
    sa.Column('WIC', sa.Integer(), nullable=True),
    sa.Column('TANFChildCare', sa.Integer(), nullable=True),
    sa.Column('TANFTransportation', sa.Integer(), nullable=True),
    sa.Column('OtherTANF', sa.Integer(), nullable=True),
    sa.Column('OtherBenefitsSource', sa.Integer(), nullable=True),
    sa.Column('OtherBenefitsSourceIdentify', sa.String(length=50), nullable=True),
    sa.Column('InsuranceFromAnySource', sa.Integer(), nullable=True),
    sa.Column('Medicaid', sa.Integer(), nullable=True),
    sa.Column('NoMedicaidReason', sa.Integer(), nullable=True),
    sa.Column('Medicare', sa.Integer(), nullable=True),
    sa.Column('NoMedicareReason', sa.Integer(), nullable=True),
    sa.Column('SCHIP', sa.Integer(), nullable=True),
    sa.Column('NoSCHIPReason', sa.Integer(), nullable=True),
    sa.Column('VHAServices', sa.Integer(), nullable=True),
    sa.Column('NoVHAReason', sa.Integer(), nullable=True),
    sa.Column('EmployerProvided', sa.Integer(), nullable=True),
    sa.Column('NoEmployerProvidedReason', sa.Integer(), nullable=True),
    sa.Column('COBRA', sa.Integer(), nullable=True),
    sa.Column('NoCOBRAReason', sa.Integer(), nullable=True),
    sa.Column('PrivatePay', sa.Integer(), nullable=True),
    sa.Column('NoPrivatePayReason', sa.Integer(), nullable=True),
    sa.Column('StateHealthIns', sa.Integer(), nullable=True),
    sa.Column('NoStateHealthInsReason', sa.Integer(), nullable=True),
    sa.Column('IndianHealthServices', sa.Integer(), nullable=True),
    sa.Column('NoIndianHealthServicesReason', sa.Integer(), nullable=True),
    sa.Column('OtherInsurance', sa.Integer(), nullable=True),
    sa.Column('OtherInsuranceIdentify', sa.String(length=50), nullable=True),
    sa.Column('ADAP', sa.Integer(), nullable=True),
    sa.Column('NoADAPReason', sa.Integer(), nullable=True),
    sa.Column('RyanWhiteMedDent', sa.Integer(), nullable=True),
    sa.Column('NoRyanWhiteReason', sa.Integer(), nullable=True),
    sa.Column('ConnectionWithSOAR', sa.Integer(), nullable=True),
    sa.Column('DataCollectionStage', sa.Integer(), nullable=True),
    sa.Column('DateCreated', sa.DateTime(), nullable=False),
    sa.Column('DateUpdated', sa.DateTime(), nullable=False),
    sa.Column('UserID', sa.String(length=32), nullable=False),
    sa.Column('DateDeleted', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id', 'EnrollmentID'], ['enrollments.workspace_id', 'enrollments.EnrollmentID'], name=op.f('fk_income_benefits_workspace_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspaces.id'], name=op.f('fk_income_benefits_workspace_id_workspaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_income_benefits')),
    sa.UniqueConstraint('workspace_id', 'IncomeBenefitsID', name=op.f('uq_income_benefits_workspace_id'))
    )
    with op.batch_alter_table('income_benefits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_income_benefits_workspace_id'), ['workspace_id'], unique=False)



def downgrade() -> None:
    # Generated from the models, then reviewed by hand.
    with op.batch_alter_table('income_benefits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_income_benefits_workspace_id'))

    op.drop_table('income_benefits')
    with op.batch_alter_table('health_and_dv', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_health_and_dv_workspace_id'))

    op.drop_table('health_and_dv')
    with op.batch_alter_table('exits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exits_workspace_id'))

    op.drop_table('exits')
    with op.batch_alter_table('disabilities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disabilities_workspace_id'))

    op.drop_table('disabilities')
    with op.batch_alter_table('current_living_situations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_current_living_situations_workspace_id'))

    op.drop_table('current_living_situations')
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrollments_workspace_id'))
        batch_op.drop_index('ix_enrollments_household')

    op.drop_table('enrollments')
    with op.batch_alter_table('releases_of_information', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_releases_of_information_workspace_id'))

    op.drop_table('releases_of_information')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_projects_workspace_id'))

    op.drop_table('projects')
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organizations_workspace_id'))

    op.drop_table('organizations')
    with op.batch_alter_table('clients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clients_workspace_id'))

    op.drop_table('clients')
    op.drop_table('workspaces')
    op.drop_table('catalog_projects')
