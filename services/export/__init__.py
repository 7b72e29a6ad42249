"""The register as a spreadsheet again (`/export`, `dondoc export`): a summary by agency,
the overdue list, and every task in the columns the importer reads, so that export, edit in
Excel and import changes only what was edited."""

from services.export.register import TASK_COLUMNS, Exported, export_register, scope_name

__all__ = ["TASK_COLUMNS", "Exported", "export_register", "scope_name"]
