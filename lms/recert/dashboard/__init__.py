"""The recertification compliance dashboard: where each person in a viewer's scope stands in one cycle.

- :mod:`.scope`: who sees whom (the agencies, and so the CoCs, a viewer may see people of);
- :mod:`.status`: each person's status as SQL, the same rule as :func:`lms.recert.rules.person_status`;
- :mod:`.board`: the counts (GROUP BY), the completions per day, one page of people, every row for exports;
- :mod:`.chart`: the bar chart's geometry; :mod:`.export`: CSV and XLSX;
- :mod:`.cache`: the rendered page kept per process until the recertification data version changes.
"""

from lms.recert.dashboard import cache
from lms.recert.dashboard.board import Dashboard, Person, Row, Tallies, Tally, build, every_row, tallies
from lms.recert.dashboard.chart import Bar, Chart, chart
from lms.recert.dashboard.export import COLUMNS, export_rows, to_csv, to_xlsx
from lms.recert.dashboard.scope import READERS, AgencyRef, Scope, scope_for, scope_key, scope_of
from lms.recert.dashboard.status import Filters, standings

__all__ = ["AgencyRef", "cache", "Bar", "COLUMNS", "Chart", "Dashboard", "Filters", "Person", "READERS", "Row", "Scope",
           "Tallies", "Tally", "build", "chart", "every_row", "export_rows", "scope_for", "scope_key", "scope_of", "standings",
           "tallies", "to_csv", "to_xlsx"]
