"""HMIS CSV FY2026: export a workspace, and import a set into an empty one (all or nothing, with a report)."""

#: Every FY2026 HMIS CSV file, in the order they are written and imported (parents first).
FILES = ["Export.csv", "Organization.csv", "User.csv", "Project.csv", "Funder.csv", "ProjectCoC.csv", "Inventory.csv",
         "HMISParticipation.csv", "CEParticipation.csv", "Affiliation.csv", "Client.csv", "Enrollment.csv",
         "Exit.csv", "IncomeBenefits.csv", "HealthAndDV.csv", "EmploymentEducation.csv", "Disabilities.csv",
         "Services.csv", "CurrentLivingSituation.csv", "Assessment.csv", "AssessmentQuestions.csv",
         "AssessmentResults.csv", "Event.csv", "YouthEducationStatus.csv"]
DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
SOFTWARE_NAME = "HMIS Training Sandbox"
SOFTWARE_VERSION = "1.0"
