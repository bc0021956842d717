"""HMIS CSV FY2026: export a workspace, and import a validated set into an empty one (all or nothing)."""

#: The files the sandbox exchanges, in the order they are written and imported (parents first).
FILES = ["Export.csv", "Organization.csv", "Project.csv", "Client.csv", "Enrollment.csv", "Exit.csv",
         "IncomeBenefits.csv", "HealthAndDV.csv", "Disabilities.csv", "CurrentLivingSituation.csv"]
DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
SOFTWARE_NAME = "HMIS Training Sandbox"
SOFTWARE_VERSION = "1.0"
