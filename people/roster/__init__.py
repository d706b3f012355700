"""The district's roster: read a OneRoster 1.1 bundle or a plain CSV, plan, apply.

`read_bundle` turns files into rows (and errors naming file and line), `plan_import`
compares them with the database, `apply_plan` writes the plan in one transaction.
"""

from people.roster.apply import RosterInvalid, apply_plan, import_roster
from people.roster.plan import Plan, plan_import
from people.roster.read import Bundle, RowError, read_bundle

__all__ = ["Bundle", "Plan", "RosterInvalid", "RowError", "apply_plan", "import_roster", "plan_import", "read_bundle"]
