"""English messages."""

MESSAGES: dict[str, str] = {
    # --- access and basics ---
    "start": (
        "Hello {name}! I am <b>dondoc</b>, the steering committee's follow-up assistant.\n"
        "Type /status for the progress summary, /help for all commands."
    ),
    "help": (
        "<b>dondoc commands</b>\n"
        "/status — progress summary for the whole committee\n"
        "/status &lt;agency|program&gt; — one ministry, province or program "
        "(e.g. /status MOF, /status Ministry of Finance)\n"
        "/overdue [agency|program] — overdue tasks\n"
        "/due [days] — tasks due in the next N days (default 7)\n"
        "/task &lt;code&gt; — the full card of one task\n"
        "/lagging — the 10 agencies furthest behind\n"
        "/agencies — agencies and their codes\n"
        "/language vi|en — change this chat's language\n"
        "Admins: /register (register a group), send an .xlsx/.csv file captioned /import"
    ),
    "unknown-chat": (
        "This group is not registered with dondoc, so I cannot share any information here. "
        "A committee admin can register it by sending /register in this group."
    ),
    "unknown-user": (
        "Sorry, your account is not authorised to use dondoc. Please contact the "
        "committee secretariat, or ask in a registered working group."
    ),
    "admin-only": "This command is for committee admins only.",
    "registered": "Group <b>{title}</b> is registered. Members can now use /status and /help.",
    "already-registered": "This group is already registered.",
    "register-group-only": "Send /register in the working group you want to register.",
    "language-set": "Language set to English.",
    "language-usage": "Usage: /language vi or /language en",
    "error-internal": "Sorry, something went wrong with that request. Please try again shortly.",
    "expired-button": "This button has expired; please send the command again.",
    # --- terminal console ---
    "console-banner": (
        "dondoc — chat with the bot in your terminal.\n"
        "Type /status MOF, /overdue, /due 30, /task NQ57-001, /lagging, /help.\n"
        "Buttons show as [1], [2]: type the number to press one. Quit: /quit or Ctrl+D."
    ),
    "cli-not-found": "No agency or program matches “{query}”. "
    "Agency codes are listed by: dondoc status --by agency",
    "cli-choose": "“{query}” could be: {candidates}. Please give the code.",
    "cli-two-programs": "Only one program at a time: “{query}” and --program are both programs.",
    "cli-cannot-read": "dondoc: cannot read {path} ({reason}).",
    "startup-token-rejected": (
        "TELEGRAM_BOT_TOKEN: rejected by the Bot API (check the token from @BotFather)"
    ),
    "startup-api-unreachable": "TELEGRAM_API_BASE_URL: cannot reach {url} ({reason})",
    "startup-db-unreachable": "DATABASE_URL: cannot open the database ({reason})",
    "cli-db-up-to-date": "database is up to date",
    "cli-progress-read": "{name}: read {percent}%",
    "cli-progress-check": "{name}: checked {percent}%",
    "cli-progress-write": "{name}: processed {percent}%",
    "console-no-button": "(there is no button [{number}])",
    # --- command menu (set_my_commands) ---
    "cmd-status": "Progress summary; /status <agency|program>",
    "cmd-overdue": "Overdue tasks",
    "cmd-due": "Tasks due soon: /due [days]",
    "cmd-task": "One task's card: /task <code>",
    "cmd-lagging": "Agencies furthest behind",
    "cmd-agencies": "Agencies and their codes",
    "cmd-language": "Change language: /language vi|en",
    "cmd-help": "How to use dondoc",
    # --- lookups ---
    "not-found": ("No agency or program matches “{query}”. See the list and codes: /agencies"),
    "choose-target": "Please choose the agency or program you meant:",
    "query-too-long": "That query is too long (at most {limit} characters).",
    # --- /status ---
    "status-committee-title": "<b>Task progress summary</b> (as of {today})",
    "status-program-title": "<b>Program: {name}</b> (as of {today})",
    "status-agency-in-program": "<b>{name}</b> ({code}), program {program} — as of {today}",
    "status-agency-title": "<b>{name}</b> ({code}) — as of {today}",
    "status-empty": "No tasks yet.",
    "summary-body": (
        "Total: <b>{total}</b> {total:task|tasks}\n"
        "✅ Completed: <b>{completed}</b> ({completed_pct}%) — "
        "on time {done_on_time}, late {done_late}\n"
        "⏳ On schedule, not yet done: <b>{on_schedule}</b> ({on_schedule_pct}%)\n"
        "⚠️ Overdue: <b>{overdue}</b> ({overdue_pct}%)\n"
        "🔁 Routine: <b>{routine}</b> ({routine_pct}%)\n"
        "📅 {due_by_year_end} on-schedule {due_by_year_end:task falls|tasks fall} due by "
        "{year_end}, so {remaining} {remaining:remains|remain} for the year."
    ),
    "summary-split": "<b>{label}</b>: {total} {total:task|tasks} — completed {completed}, "
    "on schedule {on_schedule}, overdue {overdue}, routine {routine}",
    "split-central": "Ministries and central agencies",
    "split-local": "Provinces and cities",
    "status-overdue-head": "\n<b>Overdue tasks</b> ({count}):",
    "status-due-head": "\n<b>Coming due</b>:",
    "status-more": "… and {count} more: /overdue {code}",
    # --- lists ---
    "overdue-title": "<b>Overdue tasks{suffix}</b>: {total}",
    "overdue-line": "• <code>{code}</code> [{agency}] {title} — due {deadline}, "
    "<b>{days} {days:day|days} overdue</b>",
    "overdue-none": "No overdue tasks{suffix}. 👍",
    "due-title": "<b>Tasks due within {days} {days:day|days}{suffix}</b>: {total}",
    "due-line": "• <code>{code}</code> [{agency}] {title} — due {deadline} ({when})",
    "due-none": "No tasks fall due within {days} {days:day|days}{suffix}.",
    "due-usage": "Usage: /due [days from 1 to {limit}], e.g. /due 14",
    "due-today": "today",
    "due-in": "in {days} {days:day|days}",
    "of-target": " — {name}",
    "page": "Page {page}/{pages}",
    "button-prev": "◀ Previous",
    "button-next": "Next ▶",
    # --- /task ---
    "task-usage": "Usage: /task &lt;task code&gt;, e.g. /task NQ57-001",
    "task-not-found": "No task has the code “{code}”.",
    "task-card": (
        "<b>{code}</b> — {title}\n"
        "Lead agency: {agency}\n"
        "Coordinating: {coordinating}\n"
        "Program: {program}\n"
        "Source document: {source}\n"
        "Deadline: {deadline}\n"
        "Status: {status} ({bucket})\n"
        "Progress: {progress}%\n"
        "Completed on: {completed_on}\n"
        "Notes: {notes}\n"
        "Last updated: {updated}"
    ),
    "none": "—",
    "no-deadline": "no deadline (routine)",
    "status-open": "Not started",
    "status-in_progress": "In progress",
    "status-done": "Completed",
    "bucket-done_on_time": "on time",
    "bucket-done_late": "late",
    "bucket-on_schedule": "on schedule",
    "bucket-overdue": "{days} {days:day|days} overdue",
    "bucket-routine": "routine",
    # --- /lagging, /agencies ---
    "lagging-title": "<b>Agencies furthest behind</b> (as of {today})",
    "lagging-line": "{rank}. <b>{code}</b> {name}: {overdue} overdue "
    "({overdue_share}% of open tasks with a deadline); "
    "{completion}% of tasks with a deadline completed",
    "lagging-none": "No agency has overdue tasks. 👍",
    "agencies-central": "<b>Ministries and central agencies</b>",
    "agencies-local": "<b>Provinces and cities</b>",
    "agencies-programs": "<b>Programs</b>",
    "agencies-program": "• {name}",
    "agencies-line": "<code>{code}</code> — {name}",
    # --- import ---
    "import-need-file": "Please send an .xlsx or .csv file with the caption /import.",
    "import-too-big": "The file is too big ({size} MB); bots can only download files up to 20 MB.",
    "import-reading": "Reading <b>{name}</b>…",
    "import-progress": "Processing <b>{name}</b>: {percent}%…",
    "import-dry-run": (
        "<b>Checked {name}</b>: {total} valid rows.\n"
        "This will create {created}, update {updated} and leave {unchanged} tasks unchanged."
    ),
    "import-confirm": "Import now?",
    "import-done": (
        "<b>Imported {name}</b>: created {created}, updated {updated}, unchanged {unchanged}."
    ),
    "import-cancelled": "Cancelled; nothing was written.",
    "import-stale": (
        "The register has changed since <b>{name}</b> was checked, so nothing was imported; "
        "please send the file again to check it anew."
    ),
    "import-expired": (
        "This import has expired or was already handled; please send the file again."
    ),
    "import-rejected": (
        "<b>{name} was not imported</b>: {count} errors, nothing was written. "
        "Please fix these rows and send it again:"
    ),
    "import-error-line": "• Row {row!s}, column {column}: {reason}",
    "import-more-errors": "… and {count} more errors.",
    "import-kept-columns": "Not in the file: {columns}; tasks already stored keep theirs.",
    "import-ignored-columns": "Columns not used (ignored): {columns}.",
    "import-ignored-columns-more": "Columns not used (ignored): {columns} and {count} more.",
    "import-column-deadline": "deadline",
    "import-column-status": "status",
    "import-column-completed_on": "completion date",
    "import-column-program": "program",
    "import-column-source": "source document",
    "import-column-coordinating": "coordinating agencies",
    "import-column-progress": "progress",
    "import-column-notes": "notes",
    "button-confirm": "✅ Confirm",
    "button-cancel": "✖ Cancel",
    "import-file-empty": "The file is empty (0 bytes).",
    "import-file-type": "“{ext}” files are not supported; please use .xlsx or .csv.",
    "import-file-unreadable": "The file cannot be read; it is not a valid spreadsheet.",
    "import-file-no-header": "No header row was found in the file.",
    "import-missing-columns": "Required columns are missing: {columns}.",
    "import-err-required": "is empty (required)",
    "import-err-required-merged": (
        "is empty (required); the cell is part of merged cells, which hold a value in their "
        "first row only: please unmerge them and fill in every row"
    ),
    "import-err-unevaluated": (
        "is a formula saved without its result (the file was written by a program and never "
        "opened in Excel); please open it in Excel, save it and send it again"
    ),
    "import-err-too-long": "is too long (at most {limit} characters)",
    "import-err-unknown-agency": "unknown agency “{value}”",
    "import-err-ambiguous-agency": "“{value}” could be {candidates}; please use the code",
    "import-err-bad-date": "“{value}” is not a valid date (use YYYY-MM-DD or DD/MM/YYYY)",
    "import-err-bad-status": (
        "“{value}” is not a valid status; use one of: open, in_progress, done "
        "(or chưa thực hiện, đang thực hiện, đã hoàn thành)"
    ),
    "import-err-completed-required": "a completed task needs its completion date",
    "import-err-completed-no-column": (
        "a completed task needs its completion date, but the file has no completion date column"
    ),
    "import-err-completed-future": "the completion date is after today",
    "import-err-completed-not-done": "has a completion date but the status is not done",
    "import-err-bad-progress": "progress “{value}” must be a whole number from 0 to 100",
    "import-err-duplicate-code": "code “{value}” repeats row {first_row}",
    # --- a1: database errors ---
    "db-locked": (
        "the database is busy with another write; nothing was written. "
        "Please try again in a few minutes"
    ),
    "db-deadlock": (
        "the operation clashed with a concurrent write and was cancelled; nothing was written. "
        "Please try again"
    ),
    "db-constraint": (
        "the database refused data that breaks a constraint ({reason}); nothing was written"
    ),
}
