"""HUD's Annual Performance Report (APR/CAPER) questions the sandbox answers for one workspace.

``lms.hud.measures`` holds question 6's measures as plain data and pure functions (which answers
count as "doesn't know / prefers not to answer" or missing, the project-type groups, the timeliness
buckets ...); ``q6`` turns them into one aggregate SQL statement per report.
"""
