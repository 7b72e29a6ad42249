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
        "(e.g. /status MOF, /status Ministry of Finance, /status NQ57)\n"
        "/overdue [agency|program] — overdue tasks\n"
        "/due [days] — tasks due in the next N days (default 7)\n"
        "/status &lt;agency|program&gt; &lt;dd/mm/yyyy&gt; — as it stood on a past day\n"
        "/task &lt;code&gt; — the full card of one task; /history &lt;code&gt; — its changes\n"
        "/lagging — the 10 agencies with the most overdue tasks\n"
        "/agencies — agencies and their codes\n"
        "/programs — programs and their codes\n"
        "/language vi|en — change this chat's language\n"
        "Focal points: /mytasks (your agency's tasks, tap one to update it); /update "
        "&lt;code&gt; done [day/month] | 60% | note &lt;text&gt;; /extend &lt;code&gt; (more "
        "time); /export (your agency's tasks as a spreadsheet)\n"
        "Admins: /register [agency|program] (register a group, or one agency's or program's "
        "group); send an .xlsx/.csv file captioned /import; "
        "/agency add [CODE] Unit name; /program CODE Program name; "
        "/invite &lt;agency&gt; (invite a focal point); /members [agency]; "
        "/revoke, /promote &lt;ID&gt;; /assign (a new task), /edit &lt;code&gt; &lt;field&gt; "
        "&lt;value&gt;, /cancel, /reopen &lt;code&gt;; /export [agency|program]; /digest "
        "(preview the weekly digest); /settings (nudges); /holiday; /outbox (messages that "
        "could not be sent)"
        "/revoke, /promote &lt;ID&gt;; /outbox (messages not delivered)"
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
    "group-scope": (
        "This is the working group of <b>{name}</b> ({code}): /status, /overdue and /due here "
        "cover {code}; /status and /overdue can still name another agency or program "
        "(/status &lt;name&gt;) or the whole committee (/status all). "
        "Send /register all for this group to follow every task."
    ),
    "group-scope-cleared": "This group follows every task of the committee.",
    "register-group-only": "Send /register in the working group you want to register.",
    "language-set": "Language set to English.",
    "language-usage": "Usage: /language vi or /language en",
    "error-internal": "Sorry, something went wrong with that request. Please try again shortly.",
    "expired-button": "This button has expired; please send the command again.",
    # --- terminal console ---
    "console-banner": (
        "dondoc — chat with the bot in your terminal.\n"
        "Type /status MOF, /status NQ57, /overdue, /due 30, /task NQ57-001, /lagging, /help.\n"
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
    "cli-db-up-to-date": "the database is up to date: nothing to do",
    "cli-db-upgraded": "the database was upgraded to the latest version",
    "cli-progress-read": "{name}: read {percent}%",
    "cli-progress-check": "{name}: checked {percent}%",
    "cli-progress-write": "{name}: processed {percent}%",
    "console-no-button": "(there is no button [{number}])",
    # --- command menu (set_my_commands) ---
    "cmd-status": "Progress summary; /status <agency|program>",
    "cmd-overdue": "Overdue tasks",
    "cmd-due": "Tasks due in the next N days: /due [days]",
    "cmd-task": "One task's card: /task <code>",
    "cmd-lagging": "Agencies with the most overdue tasks",
    "cmd-agencies": "Agencies and their codes",
    "cmd-language": "Change language: /language vi|en",
    "cmd-help": "How to use dondoc",
    # --- lookups ---
    "not-found": (
        "No agency or program has the name or code “{query}”. "
        "Please see the lists and codes: /agencies, /programs."
    ),
    "choose-target": "Please choose the agency or program you meant:",
    "query-too-long": "That query is too long (at most {limit} characters).",
    # --- /status ---
    "status-committee-title": "<b>Task progress summary</b> (as of {today})",
    "status-program-title": "<b>{program}</b> — as of {today}",
    "status-agency-in-program": "<b>{name}</b> ({code}) — {program}, as of {today}",
    "status-agency-title": "<b>{name}</b> ({code}) — as of {today}",
    "status-empty": "No tasks yet.",
    "summary-body": (
        "Total: <b>{total}</b> {total:task|tasks}\n"
        "✅ Completed: <b>{completed}</b> ({completed_pct}%){completed_detail}\n"
        "⏳ In progress, on schedule: <b>{on_schedule}</b> ({on_schedule_pct}%)\n"
        "⚠️ Overdue, not yet completed: <b>{overdue}</b> ({overdue_pct}%)\n"
        "🔁 Routine tasks: <b>{routine}</b> ({routine_pct}%)\n"
        "📅 {year_end_sentence}"
    ),
    "summary-split": (
        "<b>{label} ({members})</b>: {total} {total:task|tasks}; "
        "completed {completed} ({completed_pct}%), "
        "on schedule {on_schedule} ({on_schedule_pct}%), overdue {overdue} ({overdue_pct}%), "
        "routine {routine} ({routine_pct}%)"
    ),
    "split-central": "Ministries and central agencies",
    "split-local": "Localities",
    "status-overdue-head": "\n<b>Overdue tasks</b> ({count}):",
    "status-due-head": "\n<b>Coming due</b> (next {days} days):",
    "status-more": "… and {count} more overdue: /overdue {code}",
    # --- lists ---
    "overdue-title": "<b>Overdue tasks{suffix}</b>: {total}",
    "overdue-line": "• <code>{code}</code> [{agency}] {title} — due {deadline}, "
    "<b>{days} {days:day|days} overdue</b>",
    "overdue-none": "No overdue tasks{suffix}.",
    "due-title": "<b>Tasks due within {days} {days:day|days}{suffix}</b>: {total}",
    "due-line": "• <code>{code}</code> [{agency}] {title} — due {deadline} ({when})",
    "due-none": "No tasks fall due within {days} {days:day|days}{suffix}.",
    "due-usage": "Usage: /due [days from 1 to {limit}], e.g. /due 14",
    "due-today": "today",
    "due-in": "in {days} {days:day|days}",
    "of-target": " — {name}",
    "page": "Page {page}/{pages}",
    "button-prev": "◀ Previous page",
    "button-next": "Next page ▶",
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
        "Status: {state}\n"
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
    "state-done": "{bucket}",
    "state-not-done": "{status} ({bucket})",
    "bucket-done_on_time": "Completed on time",
    "bucket-done_late": "Completed late",
    "bucket-on_schedule": "on schedule",
    "bucket-overdue": "{days} {days:day|days} overdue",
    "bucket-routine": "routine task",
    # --- /lagging, /agencies ---
    "lagging-title": (
        "<b>Agencies with the most overdue tasks{suffix}</b> (as of {today})\n"
        "<i>Ranked by the number of overdue tasks, most first; where that is equal, the lower "
        "completion rate comes first. The completion rate is completed tasks out of all tasks "
        "assigned, as in /status.</i>"
    ),
    "lagging-line": "{rank}. <b>{code}</b> {name}: {overdue} overdue; "
    "{completed} of {total} {total:task|tasks} completed ({completion}%)",
    "lagging-none": "No agency has overdue tasks{suffix}.",
    "agencies-central": "<b>Ministries and central agencies</b>",
    "agencies-local": "<b>Provinces and cities</b>",
    "agencies-programs": "<b>Programs</b>",
    "agencies-program": "<code>{code}</code> — {name}",
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
    "import-expired": "This import has expired; please send the file again to check it anew.",
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
    "import-err-unknown-agency": (
        "no agency “{value}” in the list (/agencies); for another kind of unit, an admin adds "
        "it with /agency add or dondoc import --add-agencies"
    ),
    "import-err-ambiguous-agency": (
        "“{value}” is not exactly the name or code of any agency; it could be: {candidates}. "
        "Please write the agency's exact name or code"
    ),
    "import-err-bad-date": "“{value}” is not a valid date (use YYYY-MM-DD or DD/MM/YYYY)",
    "import-err-bad-status": (
        "“{value}” is not a valid status; use one of: open, in_progress, done, on schedule, "
        "overdue, routine, completed on time, completed late, cancelled (or the committees' "
        "words: chưa thực hiện, đang thực hiện trong hạn, đang thực hiện quá hạn, thường xuyên, "
        "hoàn thành đúng hạn, hoàn thành quá hạn, đã hủy)"
    ),
    "import-err-completed-required": "a completed task needs its completion date",
    "import-err-completed-no-column": (
        "a completed task needs its completion date, but the file has no completion date column"
    ),
    "import-err-completed-future": "the completion date is after today",
    "import-err-completed-not-done": "has a completion date but the status is not done",
    "import-err-bad-progress": "progress “{value}” must be a whole number from 0 to 100",
    "import-err-duplicate-code": "code “{value}” repeats row {first_row}",
    # --- b: pending actions, deep links ---
    "import-unknown": "This import cannot be found; please send the file again.",
    "import-used": "This import was already handled (confirmed or cancelled).",
    "start-link-invalid": (
        "This link is not valid or has expired. Please ask the committee secretariat "
        "for a new one."
    ),
    # --- d: start-up and database errors ---
    "startup-api-not-json": (
        "TELEGRAM_API_BASE_URL: {url} answered HTTP {status}, not the Bot API's JSON; "
        "please check the address"
    ),
    "db-locked": (
        "the database is locked by another process ({reason}); "
        "please run the command again when that process has finished"
    ),
    "db-deadlock": (
        "the database aborted the transaction in a write conflict with another process "
        "(deadlock: {reason}); please run the command again"
    ),
    "db-constraint": "the database refused the data: a constraint was violated ({reason})",
    # --- e: the committee's own words and names ---
    "cmd-programs": "Programs and their codes",
    "did-you-mean": "Did you mean <b>{name}</b> ({code})?",
    "former-merged": "<i>{name} ({code}) — includes {former} (merged on {since})</i>",
    "former-transferred": "<i>{name} ({code}) — includes {former} (transferred on {since})</i>",
    "former-renamed": "<i>{name} ({code}) — formerly {former} (renamed on {since})</i>",
    "data-date": "<i>Figures updated to {time} on {day}</i>",
    "year-end-all": (
        "Of the {on_schedule} {on_schedule:task|tasks} in progress on schedule, {due} "
        "{due:falls|fall} due by {year_end}; with the {overdue} overdue, {remaining} "
        "{remaining:task|tasks} must still be completed in {year}."
    ),
    "year-end-due": (
        "Of the {on_schedule} {on_schedule:task|tasks} in progress on schedule, {due} "
        "{due:falls|fall} due by {year_end}; {remaining} {remaining:task|tasks} must still be "
        "completed in {year}."
    ),
    "year-end-overdue": (
        "{overdue} overdue {overdue:task|tasks} must still be completed in {year}; no task in "
        "progress on schedule falls due by {year_end}."
    ),
    "year-end-none": "No task remains to be completed in {year}.",
    "split-other": "Other units",
    "split-empty": "<b>{label}</b>: no tasks yet.",
    "coverage-overdue": "{with_overdue} of {agencies} agencies have overdue tasks.",
    "coverage-overdue-none": "No agency has overdue tasks.",
    "coverage-threshold": (
        "{at} of {agencies} agencies have completed {threshold}% of their tasks or more; "
        "{below} are below {threshold}%."
    ),
    "coverage-threshold-all": (
        "All {agencies} agencies have completed {threshold}% of their tasks or more."
    ),
    "coverage-threshold-none": (
        "No agency has completed {threshold}% of its tasks yet "
        "(all {agencies} are below {threshold}%)."
    ),
    "agencies-other": "<b>Other units</b>",
    "programs-title": "<b>Programs</b>",
    "programs-none": (
        "No programs yet. An admin adds one with /program CODE Program name, "
        "e.g. /program NQ57 Nghị quyết 57-NQ/TW."
    ),
    "agency-usage": (
        "Usage: /agency add [CODE] Unit name, e.g. /agency add KTNN State Audit Office"
    ),
    "agency-add-usage": (
        "Please give the unit's name: /agency add [CODE] Unit name, "
        "e.g. /agency add KTNN State Audit Office"
    ),
    "agency-added": (
        "Added <b>{name}</b> (code <code>{code}</code>) under “Other units”. "
        "Tasks can now be assigned to it and looked up: /status {code}"
    ),
    "agency-exists": "“{name}” is already in the list: {agency}. No unit was added.",
    "agency-bad-code": (
        "“{code}” is not a valid code; please use up to 16 letters without diacritics, digits "
        "or hyphens (e.g. KTNN)."
    ),
    "code-taken": "The code “{code}” is already used by another agency or program.",
    "program-usage": "Usage: /program CODE Program name, e.g. /program NQ57 Nghị quyết 57-NQ/TW",
    "program-bad-code": (
        "“{code}” is not a valid program code; please use a short code without diacritics or "
        "spaces (e.g. NQ57, DA06, CCHC)."
    ),
    "program-created": "Added the program <b>{name}</b> (code <code>{code}</code>).",
    "program-renamed": "Program <code>{code}</code> is now called <b>{name}</b>.",
    "program-coded": "The program <b>{name}</b> now has the code <code>{code}</code>.",
    "program-unchanged": "The program <b>{name}</b> (code <code>{code}</code>) is unchanged.",
    "import-new-agencies": (
        "{count} new {count:unit|units} will be added under “Other units”: {names}."
    ),
    "import-new-programs": "New programs: {names}.",
    "import-column-program_code": "program code",
    "import-err-bad-program-code": (
        "“{value}” is not a valid program code; please use a short code without diacritics or "
        "spaces (e.g. NQ57)"
    ),
    "import-err-program-mismatch": (
        "the program code “{code}” and the program name “{name}” are two different programs"
    ),
    "import-err-program-has-code": (
        "the program “{name}” already has another code than “{code}” (see /programs)"
    ),
    "import-err-claim-overdue": (
        "the status “{value}” says overdue, but the deadline {deadline} has not passed; please "
        "check the status or the deadline"
    ),
    "import-err-claim-in-time": (
        "the status “{value}” says on schedule, but the deadline {deadline} has passed; please "
        "check the status or the deadline"
    ),
    "import-err-claim-on-time": (
        "the status “{value}” says on time, but the completion date {completed_on} is after the "
        "deadline {deadline}"
    ),
    "import-err-claim-late": (
        "the status “{value}” says late, but the completion date {completed_on} is not after "
        "the deadline {deadline}"
    ),
    "import-err-claim-routine": (
        "the status “{value}” says routine, but the task has the deadline {deadline}"
    ),
    "import-err-claim-no-deadline": (
        "the status “{value}” says overdue or late, but the task has no deadline"
    ),
    "summary-completed-detail": " — on time {done_on_time}, late {done_late}",
    "bloc-members-central": "{agencies} {agencies:agency|agencies}",
    "bloc-members-local": "{agencies} {agencies:province or city|provinces and cities}",
    "bloc-members-other": "{agencies} {agencies:unit|units}",
    "agencies-program-name": "• {name}",
    "import-err-program-code-taken": "the program code “{code}” is an agency's code",
    # --- c: hostile files, damaged csv, codes and dates ---
    "import-file-too-large": (
        "The file is too large: it unpacks to {size} MB, over the {limit} MB limit."
    ),
    "import-file-zip-bomb": (
        "The file is packed abnormally: one of its parts unpacks to {ratio} times its packed "
        "size (at most {limit}); this is not an ordinary spreadsheet."
    ),
    "import-file-too-many-parts": (
        "The file has {count} packed parts, over the limit of {limit}; this is not an ordinary "
        "spreadsheet."
    ),
    "import-file-too-many-rows": (
        "Too many rows: the sheet has data down to row {rows}, over the limit of {limit} rows."
    ),
    "import-file-too-many-columns": (
        "Too many columns: the sheet is {columns} columns wide, over the limit of {limit}."
    ),
    "import-file-grid-too-large": (
        "The file is too large: the sheet spans {rows} rows by {columns} columns, about {size} MB "
        "to read, over the {limit} MB limit."
    ),
    "import-file-cell-too-long": (
        "The file has a cell with more than {limit} KB of text, while Excel allows 32,767 "
        "characters a cell; this is not a task register."
    ),
    "import-file-too-many-merged": (
        "The sheet has {count} merged ranges, over the limit of {limit}; please unmerge the "
        "cells and send it again."
    ),
    "import-file-memory": (
        "Reading the file needed more than {limit} MB of memory and was stopped; it does not "
        "look like a task register."
    ),
    "import-file-timeout": (
        "Reading the file took more than {seconds} seconds and was stopped; please check it."
    ),
    "import-file-crashed": "The file could not be read: the spreadsheet reader stopped.",
    "import-file-unclosed-quote": (
        'Line {line} of the file opens a double quote (") that is never closed, so the lines '
        "after it run into one cell; please fix that line and send the file again."
    ),
    "import-file-bad-encoding": (
        "The file is not valid UTF-8 text (bad bytes on line {line}); read as Windows-1258 it "
        "would be stored as “{sample}”. Please save it as CSV UTF-8 and send it again."
    ),
    "import-err-date-range": "the date “{value}” is outside the years {first} to {last}",
    "import-err-code-control": "the code contains a control character (line break, tab…)",
    "import-err-invisible": "has only invisible characters",
    # --- lead: chat import ---
    "import-download-failed": "Could not fetch {name} from Telegram; please send the file again.",
    # --- a1: database errors ---
    # --- invites and members ---
    "not-an-agency": (
        "“{name}” is a program, not an agency; please give an agency's name or code "
        "(see /agencies)."
    ),
    "choose-agency": "Please choose the agency:",
    "invite-usage": (
        "Usage: /invite &lt;agency&gt;, e.g. /invite MOF — makes a link that invites the "
        "agency's focal point."
    ),
    "members-private-only": (
        "Please send /members in your private chat with the bot: the list shows each "
        "person's name and Telegram id, which is not for the whole group."
    ),
    "invite-private-only": (
        "Please send /invite in your private chat with the bot: an invite link works once, "
        "and in a group whoever taps it first would become the focal point."
    ),
    "invite-made": (
        "Invite link for a focal point of <b>{name}</b> ({code}) made: it works once, until "
        "{time} on {day}.\n"
        "Please forward the message below to the agency's focal point."
    ),
    "invite-card": (
        "You are invited to <b>dondoc</b>, the steering committee's follow-up assistant, as "
        "a focal point of <b>{name}</b> ({code}).\n"
        "Please open this link in Telegram (it works once, until {time} on {day}):\n{link}"
    ),
    "invite-welcome": (
        "Hello {name}! You are now a focal point of <b>{agency}</b> ({code}) on dondoc.{moved}\n"
        "You can use:\n"
        "/mytasks — your agency's open tasks; tap one to report it done, update its progress, "
        "add a note or evidence\n"
        "/status {code} — your agency's progress\n"
        "/overdue {code} — your agency's overdue tasks\n"
        "/task &lt;code&gt; — the full card of one task, e.g. /task NQ57-001\n"
        "/help — all other commands"
    ),
    "invite-accepted": (
        "✅ {name} (ID <code>{user_id}</code>) accepted the invite and is now a focal point of "
        "<b>{agency}</b> ({code})."
    ),
    "invite-moved": " You are no longer a focal point of {previous} ({previous_code}).",
    "invite-used": (
        "This invite link has been used already; each link works once. Please ask the "
        "committee secretariat for a new one."
    ),
    "invite-expired": (
        "This invite link has expired (it was valid until {time} on {day}). Please ask the "
        "committee secretariat for a new one."
    ),
    "invite-admin": (
        "You are an admin and stay one. The invite for a focal point of <b>{agency}</b> "
        "({code}) has not been used; please pass it on to the agency's focal point."
    ),
    "invite-already": (
        "You are already a focal point of <b>{agency}</b> ({code}). "
        "Your agency's progress: /status {code}"
    ),
    "invite-ask-move": (
        "You are a focal point of <b>{current}</b> ({current_code}). A person is the focal "
        "point of one agency only: accepting this invite makes you a focal point of "
        "<b>{agency}</b> ({code}) instead, and no longer of {current}. Do you want to move?"
    ),
    "button-move": "Move to {code}",
    "button-keep": "Keep {code}",
    "invite-kept": (
        "You remain a focal point of <b>{current}</b> ({current_code}). If you change your "
        "mind, the invite link works until {time} on {day}."
    ),
    "invite-declined": (
        "Nothing was changed. If you change your mind, the invite link works until {time} "
        "on {day}."
    ),
    "invite-private-open": "Please open the invite link in your private chat with the bot.",
    "members-title": (
        "<b>Agency focal points</b>: {leads} {leads:person|people}; {agencies}/{total} "
        "agencies have one."
    ),
    "members-agency": "<b>{name}</b> ({code}): {count} {count:focal point|focal points}",
    "members-line": "• {name} — ID <code>{user_id}</code>, since {day}",
    "members-none-agency": (
        "<b>{name}</b> ({code}) has no focal point yet. Make an invite link: /invite {code}"
    ),
    "members-none": (
        "No agency has a focal point yet. Make an invite link: /invite &lt;agency&gt;, or for "
        "many agencies at once: dondoc invite --all"
    ),
    "members-admins": "<b>Admins</b>: {count}",
    "members-admin-line": "• {name} — ID <code>{user_id}</code>",
    "members-settings-admin": "• ID <code>{user_id}</code> (set in DONDOC_ADMINS)",
    "members-more": (
        "… and {count} more {count:person|people}; /members &lt;agency&gt; lists one agency."
    ),
    "members-hint": (
        "Revoke: /revoke &lt;ID&gt;; make an admin: /promote &lt;ID&gt; "
        "(or reply to the person's message with the command)."
    ),
    "member-no-name": "(no name)",
    "member-who-lead": "{name} (ID <code>{user_id}</code>, focal point of {agency})",
    "member-who-admin": "{name} (ID <code>{user_id}</code>, admin)",
    "member-who-viewer": "{name} (ID <code>{user_id}</code>)",
    "revoke-usage": (
        "Usage: /revoke &lt;Telegram ID&gt; (IDs are listed by /members), or reply to the "
        "person's message with /revoke."
    ),
    "promote-usage": (
        "Usage: /promote &lt;Telegram ID&gt; (IDs are listed by /members), or reply to the "
        "person's message with /promote."
    ),
    "member-self": "You cannot change your own rights.",
    "member-settings-admin": (
        "User <code>{user_id}</code> is an admin set in DONDOC_ADMINS; only that setting "
        "changes it."
    ),
    "member-unknown": (
        "User <code>{user_id}</code> is not a dondoc member. Invite a focal point with "
        "/invite &lt;agency&gt;"
    ),
    "member-already-admin": "{who} is already an admin.",
    "member-not-a-person": (
        "That message was sent on behalf of a channel or a group, not by a person; please "
        "give the person's ID instead."
    ),
    "member-bot": "That is the bot's message; please reply to the person's own message.",
    "revoke-ask": (
        "Revoke the rights of {who}? They will no longer be able to use dondoc, except to "
        "look things up in registered working groups."
    ),
    "promote-ask": (
        "Make {who} an admin? Admins can do everything: import, invite and revoke focal "
        "points, register groups.{leaving}"
    ),
    "promote-leaving": " They will no longer be a focal point of {agency}.",
    "revoke-done": "The rights of {who} are revoked.",
    "promote-done": "{who} is now an admin.",
    "member-change-cancelled": "Cancelled; the rights of {who} are unchanged.",
    "member-changed-meanwhile": (
        "This user's rights changed while waiting for confirmation, so nothing was done. "
        "Please check /members and send the command again."
    ),
    "member-change-expired": "This request has expired; please send the command again.",
    "member-change-used": "This request has been handled already.",
    "cli-invite-usage": "dondoc invite: give agency names or codes, or --all (not both)",
    "cli-invite-program": "“{query}” is a program, not an agency.",
    "cli-invite-expires": (
        "{count} invite {count:link|links}, each working once, valid until {time} on {day}."
    ),
    # --- ext: deadline extensions and /history ---
    "extension-question": (
        "<b>More time for task {code}</b>\n{title}\n"
        "Current deadline: <b>{deadline}</b>{late}\n"
        "Choose the new deadline to ask for, or press “Another date” to type one."
    ),
    "extension-question-late": " ({days} days overdue; the dates below count from today)",
    "extension-button-days": "+{days} days: {day}",
    "extension-button-other": "📅 Another date…",
    "extension-button-cancel": "✖ Cancel",
    "extension-cancelled": (
        "No extension asked for task <b>{code}</b>; the deadline is unchanged."
    ),
    "extension-stale": (
        "The task was just updated; please choose again from its current deadline."
    ),
    "extension-typing": (
        "Task <b>{code}</b>: please reply to the message below with the new deadline."
    ),
    "extension-chosen": (
        "Extension of task <b>{code}</b> to <b>{day}</b>: please reply to the message below "
        "with the reason."
    ),
    "extension-ask-date": (
        "{who}Please type the new deadline for task <b>{code}</b> as day/month/year (e.g. "
        "{example}), after the current deadline {deadline}, in reply to this message."
    ),
    "extension-ask-reason": (
        "{who}Extension of task <b>{code}</b> from {old} to <b>{day}</b>. Please reply to this "
        "message with the reason (at most {limit} characters)."
    ),
    "extension-placeholder-date": "day/month/year",
    "extension-placeholder-reason": "Reason for the extension",
    "extension-bad-date": (
        "“{text}” is not a valid date; please type it as day/month/year, e.g. {example}."
    ),
    "extension-sent": (
        "✅ The request to extend task <b>{code}</b> from {old} to <b>{new}</b> was sent to "
        "{count} {count:admin|admins}. You will be told of the decision."
    ),
    "extension-sent-nobody": (
        "The request to extend task <b>{code}</b> to <b>{new}</b> is recorded, but no admin "
        "could be reached (an admin must open a private chat with the bot first). Please "
        "tell the committee secretariat."
    ),
    "extension-notice": (
        "⏳ <b>Deadline extension request</b>\n"
        "Task: <b>{code}</b> — {title}\n"
        "Lead agency: {agency}\n"
        "Current deadline: {old}\n"
        "Asked for: <b>{new}</b> ({days} more {days:day|days})\n"
        "Reason: {reason}\n"
        "Asked by: {name} (ID <code>{user_id}</code>), at {time} on {day}"
    ),
    "extension-button-approve": "✅ Approve",
    "extension-button-reject": "❌ Reject",
    "extension-approved-by": "✅ Approved by {name} at {time} on {day}; new deadline: {new}.",
    "extension-rejected-by": (
        "❌ Rejected by {name} at {time} on {day}; the deadline stays {old}."
    ),
    "extension-late": "This request was already decided. {decision}",
    "extension-answer-approved": (
        "✅ Your request to extend task <b>{code}</b> was approved by {name}: the new deadline "
        "is <b>{new}</b> (it was {old})."
    ),
    "extension-answer-rejected": (
        "❌ Your request to extend task <b>{code}</b> to {new} was rejected by {name}; the "
        "deadline stays <b>{old}</b>."
    ),
    "extension-not-found": "No task has the code “{code}”.",
    "extension-not-yours": (
        "Only the focal points of {agency} and the admins can ask for more time on task {code}."
    ),
    "extension-routine": "Task {code} is a routine task: it has no deadline to extend.",
    "extension-done": "Task {code} is done: it needs no extension.",
    "extension-pending": (
        "Task {code} already has a request to extend it to {new} (asked by {name} on {day}) "
        "waiting for an admin's decision; a task has one waiting request at a time."
    ),
    "extension-not-later": (
        "The new deadline must be after the current deadline of task {code} ({deadline})."
    ),
    "extension-past": "{new} has passed; please choose a deadline from today ({today}) on.",
    "extension-too-far": "{new} is too far ahead; please check the year.",
    "extension-no-reason": "Please give the reason for the extension.",
    "extension-long-reason": (
        "The reason is too long ({length} characters, at most {limit}); please shorten it."
    ),
    "extension-usage": (
        "Usage: /extend &lt;task code&gt; [day/month/year reason…], e.g. "
        "/extend NQ57-001 31/03/2027 Waiting for the Ministry of Justice's review"
    ),
    "extension-prompt-used": (
        "This question was answered already. To ask again, send /extend &lt;code&gt;."
    ),
    "extension-prompt-expired": "This question has expired; please send /extend &lt;code&gt;.",
    "mention": '<a href="tg://user?id={user_id}">{name}</a>, ',
    "status-extended": "🗓 {count} {count:task|tasks} had the deadline extended.",
    "history-usage": "Usage: /history &lt;task code&gt;, e.g. /history NQ57-001",
    "history-title": (
        "<b>History of task {code}</b> — {title}\n{total} {total:change|changes}, newest first:"
    ),
    "history-empty": "Task <b>{code}</b> has no recorded change.",
    "history-head": "\n<b>{time} {day}</b> · {actor} · {source}",
    "history-change": "{field}: {old} → {new}",
    "history-created": "🆕 Task created",
    "history-note": "📝 Note: {text}",
    "history-evidence": "📎 Evidence: {name}",
    "history-extension-request": "⏳ Extension asked: {old} → {new}; reason: {reason}",
    "history-extension-rejected": "❌ Extension rejected: {old} → {new}",
    "history-source-chat": "in Telegram",
    "history-source-import": "import",
    "history-source-cli": "command line",
    "history-source-job": "automatic",
    "history-empty-value": "(empty)",
    "history-no-actor": "(unknown)",
    "history-field-code": "Code",
    "history-field-title": "Title",
    "history-field-agency": "Lead agency",
    "history-field-program": "Program",
    "history-field-source": "Assigning document",
    "history-field-deadline": "Deadline",
    "history-field-original_deadline": "Original deadline",
    "history-field-status": "Status",
    "history-field-completed_on": "Completed on",
    "history-field-progress": "Progress",
    "history-field-notes": "Notes",
    "history-field-coordinating": "Coordinating agencies",
    # --- lead's phone flow: /mytasks, the task card, /update, notes and evidence ---
    "cmd-mytasks": "Your agency's tasks (focal points): quick updates",
    "mytasks-title": (
        "<b>Open tasks of {name}</b> ({code}): {total}\n"
        "⚠️ Overdue: {overdue} · ⏳ On schedule: {on_schedule} · 🔁 Routine: {routine}"
    ),
    "mytasks-none": "<b>{name}</b> ({code}) has no open tasks left.",
    "mytasks-line-overdue": (
        "{n}. ⚠️ <code>{code}</code> {title} — due {deadline}, "
        "<b>{days} {days:day|days} overdue</b>"
    ),
    "mytasks-line-due": "{n}. ⏳ <code>{code}</code> {title} — due {deadline} ({when})",
    "mytasks-line-routine": "{n}. 🔁 <code>{code}</code> {title} — routine",
    "mytasks-progress": ", progress {progress}%",
    "mytasks-hint": "<i>Tap a task to report it done, update its progress or add a note.</i>",
    "mytasks-not-lead": (
        "/mytasks lists the tasks of the agency you are a focal point of; your account is not "
        "a focal point of any agency. To look things up: /status, /overdue, /task &lt;code&gt;."
    ),
    "mytasks-admin-usage": (
        "Admins name the agency: /mytasks &lt;agency&gt;, e.g. /mytasks MOF or "
        "/mytasks Ministry of Finance."
    ),
    "mytasks-own-only": (
        "You are a focal point of <b>{name}</b> ({code}), so /mytasks lists your agency's "
        "tasks. Other agencies: /status &lt;name&gt;, /overdue &lt;name&gt;."
    ),
    "card-deadline-left": "{deadline} ({days} {days:day|days} left)",
    "card-deadline-today": "{deadline} (due today)",
    "card-deadline-extended": "{deadline}; originally {original}",
    "card-notes-head": "\n<b>Notes</b> ({count}, newest first):",
    "card-note-line": "• {day} — {name}: {text}",
    "card-evidence": "📎 Evidence: {count} {count:file|files}",
    "card-evidence-none": "📎 Evidence: none yet",
    "button-done": "✅ Done",
    "button-progress": "📈 Progress",
    "button-note": "📝 Note",
    "button-evidence": "📎 Evidence",
    "button-more-time": "⏳ More time",
    "button-back": "◀ List",
    "button-send-evidence": "📤 See evidence ({count})",
    "button-today": "Today ({day})",
    "button-yesterday": "Yesterday ({day})",
    "done-ask": "Mark <b>{code}</b> as done? Choose the completion date (deadline: {deadline}):",
    "done-saved": "✅ <b>{code}</b> recorded as completed on {day}.",
    "progress-ask": (
        "<b>{code}</b> is at {progress}%. Choose the new figure "
        "(100% is not completion: to report it done, press “Done”):"
    ),
    "progress-saved": "📈 Progress of <b>{code}</b> updated: {progress}%.",
    "progress-unchanged": "Progress of <b>{code}</b> stays at {progress}%.",
    "task-changed": (
        "⚠️ Task <b>{code}</b> has just been updated (perhaps by someone else), so your action "
        "was not carried out. The latest is below; please check it and act again if needed."
    ),
    "task-gone": "The task of this button cannot be found; please send the command again.",
    "task-not-yours": (
        "You may not update task {code}: only admins and the focal points of its lead agency "
        "({agency}) can."
    ),
    "task-note-not-yours": (
        "You may not add notes or evidence to task {code}: only admins and the focal points "
        "of its lead agency ({agency}) or of a coordinating agency can."
    ),
    "task-already-done": "Task <b>{code}</b> is completed, so its progress can no longer change.",
    "note-ask": "{who}, please <b>reply to this message</b> with your note for <b>{code}</b>.",
    "note-placeholder": "Note for {code}",
    "note-saved": "📝 Note saved for <b>{code}</b>.",
    "note-used": (
        "The note replying to this prompt has been saved. To add another, press “Note” on the "
        "task card or send /update {code} note &lt;text&gt;."
    ),
    "prompt-expired": (
        "This prompt has expired; please open the task again (/task {code}) and press the "
        "button again."
    ),
    "note-needs-text": (
        "Please reply with the note's text. For photos or files, press “Evidence” on the task "
        "card."
    ),
    "evidence-ask": (
        "{who}, please send a photo or file as evidence for <b>{code}</b> by <b>replying to "
        "this message</b> (several files are fine). A file captioned with {code} works too."
    ),
    "evidence-placeholder": "Send photos or files for {code}",
    "evidence-saved": (
        "📎 Evidence saved for <b>{code}</b>: {name}. In all: {count} {count:file|files}."
    ),
    "evidence-photo": "photo",
    "evidence-duplicate": "This file is already part of the evidence of <b>{code}</b>.",
    "evidence-needs-file": (
        "Please reply with a photo or a file. For a note, press “Note” on the task card."
    ),
    "evidence-hint": (
        "To keep a photo or file as evidence, put the task code in its caption (e.g. "
        "NQ57-001), or press “Evidence” on the task card (/mytasks, /task &lt;code&gt;) and "
        "reply to the prompt."
    ),
    "evidence-several": (
        "The caption names several tasks ({codes}); a file is kept for one task: please send "
        "it again with one code."
    ),
    "evidence-caption": "<b>{code}</b> — evidence {n}/{total}\n{name}, {day}",
    "evidence-own-caption": "<i>{caption}</i>",
    "evidence-sent": "Sent {shown}/{total} evidence {total:file|files} of <b>{code}</b>.",
    "evidence-none": "Task <b>{code}</b> has no evidence yet.",
    "evidence-not-yours": (
        "Only admins and the focal points of the lead agency ({agency}) can see the evidence "
        "of {code}."
    ),
    "button-more-evidence": "📤 Send more ({count} {count:file|files})",
    "update-usage": (
        "Usage:\n"
        "/update &lt;code&gt; done [day/month] — report it done (today by default)\n"
        "/update &lt;code&gt; 60% — update its progress (0 to 100%)\n"
        "/update &lt;code&gt; note &lt;text&gt; — add a note\n"
        "Example: /update NQ57-001 done 20/11"
    ),
    "update-unknown-form": "I did not understand “{value}”.",
    "update-bad-date": (
        "“{value}” is not a valid date; please write day/month, e.g. /update {code} done 20/11."
    ),
    "update-future-date": (
        "The completion date cannot be in the future; please give the day it was completed "
        "(today or earlier)."
    ),
    "update-too-old": "The completion date is more than a year ago; please check it.",
    "update-bad-progress": "Progress is a whole number from 0 to 100, e.g. /update {code} 60%.",
    "update-note-empty": "Please write the note: /update {code} note &lt;text&gt;.",
    "demo-roles": (
        "Demo: /as admin, /as lead MOF, /as viewer, /as stranger switch roles; "
        "/photo [caption] and /file name.pdf [caption] pretend to send a photo or a file."
    ),
    "demo-as-usage": (
        "Usage: /as admin | /as lead &lt;agency&gt; | /as viewer | /as stranger "
        "(in the demo only)."
    ),
    "demo-as-admin": "You are now an admin (the secretariat).",
    "demo-as-lead": (
        "You are now a focal point of <b>{name}</b> ({code}). Try /mytasks, tap a task, then "
        "“Done”."
    ),
    "demo-as-viewer": "You are now a viewer: you can look things up.",
    "demo-as-stranger": "You are now a user without rights.",
    "demo-photo-usage": "Usage: /photo [caption], /file file_name [caption].",
    # --- the secretariat: /assign, /edit, /cancel, /reopen; cancelled tasks in reports ---
    "summary-cancelled": (
        "🚫 Cancelled (not in the total): <b>{cancelled}</b> {cancelled:task|tasks}"
    ),
    "status-cancelled": "Cancelled",
    "state-cancelled": "Cancelled (left out of every report)",
    "assign-mark": "🆕 New task",
    "assign-ask-agency": (
        "{mark} — step 1/4: <b>lead agency</b>{who}\n"
        "Press an agency below, or reply to this message with the agency's name, code or "
        "short name (e.g. Ministry of Finance, MOF, Hanoi)."
    ),
    "assign-ask-title": (
        "{mark} — step 2/4: <b>title</b>{who}\n{so_far}\nReply to this message with the task."
    ),
    "assign-ask-deadline": (
        "{mark} — step 3/4: <b>deadline</b>{who}\n{so_far}\n"
        "Reply to this message with the due date (dd/mm/yyyy, e.g. 31/03/2027), or press "
        "“No deadline” for a routine task."
    ),
    "assign-ask-program": (
        "{mark} — step 4/4: <b>programme</b>{who}\n{so_far}\n"
        "Press the programme the task belongs to, or reply to this message with its code."
    ),
    "assign-ask-confirm": (
        "{mark} — <b>confirm</b>{who}\n{so_far}\nTask code: <b>{code}</b>{auto}\n"
        "Press “Confirm” to assign the task."
    ),
    "assign-code-auto": " (automatic: the next number after the {prefix}-… codes)",
    "assign-who": " — {name}",
    "assign-mention": '<a href="tg://user?id={user_id}">{name}</a>',
    "assign-so-far-agency": "Lead agency: {agency}",
    "assign-so-far-title": "Title: {title}",
    "assign-so-far-deadline": "Deadline: {deadline}",
    "assign-so-far-program": "Programme: {program}",
    "assign-no-deadline": "none (a routine task)",
    "assign-no-program": "none",
    "assign-title-placeholder": "Task title",
    "button-no-deadline": "No deadline",
    "button-no-program": "No programme",
    "assign-chosen": "✔ {choice}",
    "assign-done": "✅ Task <b>{code}</b> assigned to {agency}.",
    "assign-cancelled": "Cancelled; no task was assigned.",
    "assign-expired": "This /assign has ended or expired; send /assign to start again.",
    "assign-used": "This step has been answered already.",
    "assign-none-waiting": "You have no /assign in progress; send /assign to start one.",
    "assign-press-confirm": "Please press “Confirm” or “Cancel” on the summary above.",
    "assign-code-taken": (
        "The code <b>{code}</b> belongs to another task. Please send /assign again with "
        "another code, or without the #code part to get one automatically."
    ),
    "assign-choose-agency": "{mark} — “{query}” could be one of these agencies; please choose:",
    "assign-choose-program": (
        "{mark} — “{query}” could be one of these programmes; please choose:"
    ),
    "assign-retry": "{mark} — {error}\nPlease reply to this message again.",
    "assign-usage": (
        "Usage: send /assign to be asked for the lead agency, title, deadline and programme "
        "in turn; or in one line:\n"
        "/assign &lt;agency&gt; &lt;deadline&gt; [programme code] [#task code] &lt;title&gt;\n"
        "The deadline is dd/mm/yyyy, or “-” for a routine task. For example:\n"
        "/assign MOF 31/03/2027 NQ57 Build the finance sector database\n"
        "/assign Ministry of Health - #BCD-100 Quarterly report"
    ),
    "assign-too-long": "That is too long (at most {limit} characters).",
    "field-empty": "{field} cannot be empty.",
    "field-too-long": "{field} is longer than {limit} characters.",
    "field-bad-date": (
        "“{value}” is not a valid date; please write dd/mm/yyyy (e.g. 31/03/2027), or “-” "
        "for no deadline."
    ),
    "field-date-range": "The deadline's year must be between {first} and {last}.",
    "field-bad-code": (
        "That task code is not valid: no spaces, control or invisible characters, please."
    ),
    "field-which": "“{query}” could be: {codes}. Please give the code.",
    "field-not-agency": "“{query}” is a programme, not an agency.",
    "field-not-program": "“{query}” is an agency, not a programme.",
    "field-unknown-agency": "No agency is called “{query}” (list and codes: /agencies).",
    "field-unknown-program": "No programme is called “{query}” (list and codes: /programs).",
    "field-lead-coordinates": "The lead agency cannot also be a coordinating agency.",
    "field-no-value": "Please write the new value after the field's name.",
    "field-name-title": "The title",
    "field-name-deadline": "The deadline",
    "field-name-agency": "The lead agency",
    "field-name-program": "The programme",
    "field-name-source": "The assigning document",
    "field-name-coordinators": "The coordinating agencies",
    "field-name-code": "The task code",
    "edit-usage": (
        "Usage: /edit &lt;task code&gt; &lt;field&gt; &lt;new value&gt;\n"
        "Fields: title, deadline, agency, program, source, coordinators (Vietnamese names "
        "work too). Write “-” to remove a deadline, programme, source or the coordinating "
        "agencies. For example:\n"
        "/edit NQ57-0042 deadline 30/06/2027\n/edit NQ57-0042 coordinators MOH; Hanoi"
    ),
    "edit-done": "{field} of task <b>{code}</b> is changed.",
    "edit-unchanged": "{field} of task <b>{code}</b> is that already; nothing changed.",
    "cancel-usage": (
        "Usage: /cancel &lt;task code&gt; — cancel a task (you confirm with a button); a "
        "cancelled task is left out of every report. /reopen &lt;code&gt; restores it."
    ),
    "reopen-usage": (
        "Usage: /reopen &lt;task code&gt; — restore a cancelled task, or reopen a completed "
        "one (you confirm with a button)."
    ),
    "cancel-ask": (
        "<b>Cancel task {code}?</b> A cancelled task is left out of /status, /overdue, "
        "/due and /lagging; /reopen {code} restores it."
    ),
    "reopen-ask": "<b>Restore task {code}?</b> Its status will be: {status}.",
    "reopen-ask-done": (
        "<b>Reopen task {code}?</b> It will be “In progress” again, without a completion date."
    ),
    "button-cancel-task": "🚫 Cancel the task",
    "button-reopen-task": "↩ Restore",
    "button-keep-task": "Keep it",
    "cancel-done": (
        "Task <b>{code}</b> is cancelled and left out of every report. /reopen {code} restores it."
    ),
    "reopen-done": "Task <b>{code}</b> is restored.",
    "task-kept": "Task <b>{code}</b> is kept as it was.",
    "cancel-already": "Task {code} was cancelled already.",
    "reopen-already-open": "Task {code} is neither cancelled nor completed: nothing to reopen.",
    "task-changed-meanwhile": (
        "Task {code} changed while waiting for your confirmation. Here it is now; please "
        "confirm again."
    ),
    "task-cancelled-locked": (
        "Task {code} is cancelled, so it cannot be updated; an admin restores it first with "
        "/reopen {code}."
    ),
    "assign-abandoned": "The /assign in progress is stopped.",
    # --- imports meet chat updates ---
    "import-column-title": "title",
    "import-column-agency": "lead agency",
    "import-chat-updates-would": (
        "<b>The file would undo {count} {count:update|updates} made in chat</b> after the "
        "previous import (task: field, value in chat → value in the file):"
    ),
    "import-chat-updates-kept": (
        "<b>Kept {count} {count:update|updates} made in chat</b>; the file's values for "
        "{count:it|them} were not written:"
    ),
    "import-chat-updates-undone": (
        "<b>Undid {count} {count:update|updates} made in chat</b>; the file's values replaced "
        "{count:it|them} (each task's history shows both):"
    ),
    "import-chat-update-line": "• {code}: {field} {chat} → {file}",
    "import-chat-updates-more": "… and {count} more.",
    "import-chat-value-empty": "(empty)",
    "import-chat-updates-cli-keep": (
        "They are kept; import with --overwrite-chat-updates to write the file's values over them."
    ),
    "import-chat-updates-cli-overwrite": (
        "With --overwrite-chat-updates the file's values replace them."
    ),
    "import-chat-updates-choose": (
        "Import and keep them (the rest of the file is written), or import and undo them?"
    ),
    "import-chat-updates-ask": (
        "<b>Undo {count} {count:update|updates} made in chat?</b> The values in <b>{name}</b> "
        "will replace what was reported in chat:"
    ),
    "import-chat-updates-ask-hint": (
        "Only another change brings a lead's value back. To import without undoing them, "
        "choose Keep."
    ),
    "button-import-keep": "✅ Import, keep chat updates",
    "button-import-undo": "⚠️ Import, undo chat updates",
    "button-import-undo-sure": "⚠️ Undo {count} and import",
    "button-import-keep-short": "✅ Keep them and import",
    # --- export: the register as an Excel file (issue 11) ---
    "export-preparing": "Preparing the Excel file ({count} {count:task|tasks})…",
    "export-caption": (
        "📊 <b>Task register — {scope}</b>, as of {today}\n"
        "{tasks} {tasks:task|tasks}; completed {completed} ({completed_pct}%), "
        "overdue {overdue}.\n"
        "Sheet “{summary_sheet}”: figures by agency; “{overdue_sheet}”: the overdue list; "
        "“{tasks_sheet}”: every task — edit it and send the file back captioned /import to "
        "update the register."
    ),
    "export-own-agency-only": (
        "Agency leads can export their own agency's register only: /export {code}."
    ),
    "export-no-agency": (
        "Your account is not linked to an agency, so there is no register to export."
    ),
    "export-too-big": (
        "The Excel file is {size} MB, over the {limit} MB Telegram lets a bot send. Please "
        "export one agency or programme at a time (/export MOF) or use dondoc export."
    ),
    "export-everyone": "whole committee",
    "export-agency-in-program": "{agency} — {program}",
    "export-sheet-summary": "Summary",
    "export-sheet-overdue": "Overdue",
    "export-sheet-tasks": "Tasks",
    "export-summary-title": "Task progress summary — {scope}",
    "export-as-of": "As of {today}",
    "export-overdue-title": "Overdue tasks, not completed — {scope}",
    "export-head-number": "No.",
    "export-head-code": "Code",
    "export-head-agency": "Agency",
    "export-head-total": "Total",
    "export-head-done-on-time": "Completed on time",
    "export-head-done-late": "Completed late",
    "export-head-on-schedule": "On schedule",
    "export-head-overdue": "Overdue",
    "export-head-routine": "Routine",
    "export-head-completed": "Completed",
    "export-head-rate": "Completion rate",
    "export-head-overdue-task": "Overdue task",
    "export-head-lead": "Lead agency",
    "export-head-deadline": "Deadline",
    "export-head-days-late": "Days overdue",
    "export-head-progress": "Progress (%)",
    "export-head-program": "Programme",
    "export-all-agencies": "Total",
    # The task sheet's headers: the importer reads each of them back as its column.
    "export-col-code": "Task code",
    "export-col-title": "Title",
    "export-col-agency": "Lead agency",
    "export-col-coordinating": "Coordinating agencies",
    "export-col-deadline": "Deadline",
    "export-col-status": "Status",
    "export-col-completed_on": "Completed date",
    "export-col-progress": "Progress (%)",
    "export-col-program": "Programme",
    "export-col-program_code": "Programme code",
    "export-col-source": "Source",
    "export-col-notes": "Notes",
    "export-status-open": "open",
    "export-status-in_progress": "in progress",
    "export-status-done": "done",
    "export-status-cancelled": "cancelled",
    "cli-export-done": "Exported {tasks} {tasks:task|tasks} ({overdue} overdue) to {path}",
    "cli-export-not-xlsx": "dondoc export writes .xlsx: “{path}” does not end in .xlsx",
    "cli-export-cannot-write": "dondoc: cannot write {path} ({reason}).",
    "cli-export-not-a": "“{query}” is not {kind}.",
    "cli-kind-agency": "an agency",
    "cli-kind-program": "a programme",
    # --- deadline nudges, /settings and /holiday (services/nudges.py, handlers/nudges.py) ---
    "nudge-title": (
        "🔔 <b>Reminders for {day}</b> — {agency}: {count} {count:task needs|tasks need} attention"
    ),
    "nudge-line-overdue": "⚠️ <b>{code}</b> {title} — due {deadline}, {days} {days:day|days} late",
    "nudge-line-today": "⏰ <b>{code}</b> {title} — due today ({deadline})",
    "nudge-line-ahead": "📅 <b>{code}</b> {title} — due {deadline}, {days} {days:day|days} left",
    "nudge-more": "… and {count} more (see /overdue, /due).",
    "nudge-hint": "Press a task's code to see and update it; press 💤 to snooze its reminders.",
    "nudge-mention": '<a href="tg://user?id={user_id}">{name}</a>',
    "nudge-button-mute": "🔕 Pause reminders",
    "group-nudge-title": "📣 <b>Reminders for {day}</b> — {agency}",
    "group-nudge-blocked": (
        "{leads} could not be reminded privately (no chat started with the bot, or the bot "
        "is blocked). Tasks needing attention ({count}):"
    ),
    "group-nudge-blocked-hint": (
        "To get reminders privately, please open a chat with the bot and press Start."
    ),
    "escalation-title": (
        "⚠️ <b>Overdue tasks still not done after {after} {after:reminder|reminders}</b> ({count}):"
    ),
    "escalation-line": (
        "• <b>{code}</b> {title} — due {deadline}, {days} {days:day|days} late (report {number})"
    ),
    "summary-nudge-title": "📋 <b>Reminder summary for {day}</b>",
    "summary-escalations": (
        "⚠️ <b>Overdue after {after} {after:reminder|reminders}</b>: {count} "
        "{count:task|tasks} of {agencies} {agencies:agency|agencies}"
    ),
    "summary-unreached": (
        "👤 <b>Agencies without a focal point to remind</b>: {agencies} "
        "{agencies:agency|agencies}, {count} {count:task|tasks} due a reminder (invite one: "
        "/invite &lt;agency&gt;)"
    ),
    "summary-agency": "<b>{agency}</b> ({count}):",
    "summary-more": "… and {count} more {count:line|lines}.",
    "lead-blocked": (
        "🚫 Focal point {name} (ID <code>{user_id}</code>) of {agency} has not started a "
        "private chat with the bot, or blocked it, so reminders do not reach them. {where}"
    ),
    "lead-blocked-group": "The agency's reminders also go to its group.",
    "lead-blocked-no-group": (
        "The agency has no registered group, so its tasks go into the admins' reminder summary."
    ),
    "snooze-ask": "Snooze reminders of <b>{code}</b> for how long?",
    "snooze-button-1": "1 working day",
    "snooze-button-3": "3 working days",
    "snooze-button-d": "Until the deadline",
    "snooze-done": "💤 Reminders of <b>{code}</b> are snoozed until the end of {day}.",
    "snooze-gone": "This task is done or no longer in the register.",
    "snooze-not-useful": "This task is due too soon to snooze until its deadline; choose 1 day.",
    "snooze-not-yours": "Only a focal point of the task's lead agency can snooze its reminders.",
    "mute-ask": "Pause all your reminders for how long?",
    "mute-ask-muted": "Your reminders are paused until the end of {day}. Change that?",
    "mute-button-7": "1 week",
    "mute-button-14": "2 weeks",
    "mute-button-30": "30 days",
    "mute-button-0": "🔔 Resume reminders",
    "mute-done": (
        "🔕 Your reminders are paused until the end of {day}. Tasks long overdue are still "
        "reported to the admins."
    ),
    "mute-off": "🔔 Your reminders resume from the next working morning.",
    "settings-show": (
        "⚙️ <b>Reminder schedule</b>{paused}\n"
        "• Before the deadline: {reminders}\n"
        "• Once overdue: again every {every} working {every:day|days}\n"
        "• After {after} overdue {after:reminder|reminders}: reported to the agency's group "
        "and the admins\n"
        "• Sent at {time}, on working days only; never from {quiet_from} to {quiet_until}\n"
        "Change it with, e.g., <code>/settings remind 7,3,1,0 overdue 3 escalate 2 time 08:30 "
        "quiet 20:00-07:00</code> (0 is the due day), <code>/settings pause</code>, "
        "<code>resume</code>, <code>reset</code> (the defaults). Days off, make-up days: /holiday"
    ),
    "settings-paused": " — <b>paused</b>",
    "settings-reminders": "{days} working days before",
    "settings-on-due": "on the due day",
    "settings-no-reminders": "none",
    "settings-saved": "✅ Saved.",
    "settings-usage": (
        "Not understood. Examples: <code>/settings remind 7,3,1,0</code>, "
        "<code>/settings overdue 3</code>, <code>/settings escalate 2</code>, "
        "<code>/settings time 08:30</code>, <code>/settings quiet 20:00-07:00</code>, "
        "<code>/settings pause</code>, <code>resume</code>, <code>reset</code>."
    ),
    "settings-bad-remind": (
        "Reminder days are numbers from 0 to 30 separated by commas, at most 6 (e.g. 7,3,1,0; "
        "0 is the due day)."
    ),
    "settings-bad-overdue": "Working days between overdue reminders: 1 to 30.",
    "settings-bad-escalate": "Overdue reminders before reporting: 0 to 10.",
    "settings-bad-time": "Write the send time as 08:30.",
    "settings-bad-quiet": "Write quiet hours as 20:00-07:00, with different start and end.",
    "settings-time-in-quiet": "The send time cannot be within the quiet hours.",
    "settings-button-pause": "⏸ Pause reminders",
    "settings-button-resume": "▶️ Resume reminders",
    "settings-button-time": "⏰ {time}",
    "settings-button-reset": "↺ Defaults",
    "holiday-title": "📅 <b>Days off from {start} to {end}</b> (besides weekends):",
    "holiday-line": "• {day} ({weekday}) — {name}",
    "holiday-none": "• none",
    "holiday-by-admin": "added by an admin",
    "holiday-worked-title": "<b>Weekend days worked</b>:",
    "holiday-worked-line": "• {day} ({weekday}){by_admin}",
    "holiday-worked-by-admin": " — added by an admin",
    "holiday-usage": (
        "Add a day off: <code>/holiday add 2027-02-12</code> (or 12/02/2027). Remove a day "
        "off, or add a make-up working Saturday: <code>/holiday remove 2027-02-13</code>."
    ),
    "holiday-added": (
        "{day} ({weekday}) is now a day off: no reminders are sent; a deadline on it is "
        "reminded as due on the working day before."
    ),
    "holiday-removed": "{day} ({weekday}) is now a working day: reminders are sent.",
    "holiday-unchanged-off": "{day} ({weekday}) is already a day off.",
    "holiday-unchanged-on": "{day} ({weekday}) is already a working day.",
    "holiday-bad-day": "“{text}” is not a date. Write 2027-02-12 or 12/02/2027.",
    "weekday-0": "Mon",
    "weekday-1": "Tue",
    "weekday-2": "Wed",
    "weekday-3": "Thu",
    "weekday-4": "Fri",
    "weekday-5": "Sat",
    "weekday-6": "Sun",
    # --- daily snapshots: /status <scope> <dd/mm/yyyy> (issue 11) ---
    "status-snapshot-taken": "<i>Figures saved at {time} on {taken}.</i>",
    "status-snapshot-earlier": (
        "No figures were saved for {day}; below are the latest saved before it, for {found}."
    ),
    "status-snapshot-none": (
        "No figures were saved for {day} or before; daily figures are saved from {first}."
    ),
    "status-snapshot-never": (
        "No daily figures saved yet: each day's figures are saved after its midnight."
    ),
    "status-snapshot-lists": (
        "<i>Task lists are not saved per day; the current list: /overdue {code}</i>"
    ),
    "status-future-day": "{day} has not come yet; /status shows the current figures.",
    "status-bad-day": "Not a valid date: {text} (write dd/mm/yyyy, e.g. 20/11/2026).",
    # --- the weekly digest (issue 11) ---
    "digest-title": "📊 <b>Weekly digest, week {week}/{year}</b> — {scope}",
    "digest-scope-committee": "the whole committee",
    "digest-scope-agency": "{name} ({code})",
    "digest-scope-program": "{program}",
    "digest-figures-day": "Figures as of the end of {day}",
    "digest-late": "⏰ <i>Sent late: this digest was due at {time} on {day}.</i>",
    "digest-change": (
        "📈 <b>Since {day}</b>: completed {completed}, overdue {overdue}, completion rate "
        "{completion} points."
    ),
    "digest-change-none": "📈 <i>No figures were saved for {day} to compare with.</i>",
    "digest-up": "+{n}",
    "digest-down": "-{n}",
    "digest-same": "±0",
    "digest-lagging-head": (
        "\n<b>Agencies with the most overdue tasks</b> ({shown} of the {total} with overdue "
        "tasks; ranked as /lagging):"
    ),
    "digest-lagging-line": (
        "{rank}. <b>{code}</b> {name}: {overdue} overdue; completed {completed}/{total} "
        "({completion}%)"
    ),
    "digest-lagging-line-change": (
        "{rank}. <b>{code}</b> {name}: {overdue} overdue ({overdue_change}); completed "
        "{completed}/{total} ({completion}%, {completion_change} points)"
    ),
    "digest-lagging-none": "\n✅ No agency has overdue tasks.",
    "digest-best-head": (
        "\n<b>Agencies at {threshold}% completion or more</b> ({shown} of {total}):"
    ),
    "digest-best-line": "• <b>{code}</b> {name}: {completion}% ({completed}/{total} tasks)",
    "digest-best-none": "\nNo agency has reached {threshold}% completion yet.",
    "digest-due-head": "\n<b>Due this week</b> ({start} to {end}): {total} {total:task|tasks}",
    "digest-due-more": "… and {count} more: /due {days}",
    "digest-due-none": "\nNo tasks fall due this week ({start} to {end}).",
    "digest-leaderless": (
        "\n👤 <b>No lead yet</b> ({count} {count:agency|agencies} with tasks in progress): "
        "{codes}. Invite one: /invite &lt;agency&gt;"
    ),
    "digest-blocked": (
        "\n🚫 <b>Reminders not reaching any lead</b> ({count} {count:agency|agencies} with tasks "
        "in progress whose leads have not started a private chat with the bot, or blocked it): "
        "{codes}. The leads should open a chat with the bot and press Start."
    ),
    "digest-more-codes": "{codes} and {count} more",
    "digest-caption": (
        "📊 <b>Weekly digest, week {week}/{year}</b> — {scope}\n"
        "Tasks by state of the {count} {count:agency|agencies} with the most overdue tasks, "
        "as of the end of {day}."
    ),
    "digest-caption-agency": (
        "📊 <b>Weekly digest, week {week}/{year}</b> — {scope}\n"
        "Tasks by state on {before} and on {day}."
    ),
    "chart-title": "Agencies with the most overdue tasks — week {week}/{year}",
    "chart-title-agency": "{name} — week {week}/{year}",
    "chart-axis": "Tasks",
    "chart-done_on_time": "Completed on time",
    "chart-done_late": "Completed late",
    "chart-on_schedule": "In progress, on schedule",
    "chart-overdue": "Overdue",
    "chart-note": "{overdue} overdue · {completion}% completed",
    "chart-routine": "Routine",
    "digest-preview-note": "<i>Preview: shown here only, not recorded as sent.</i>",
    "digest-schedule": (
        "🗓 This group's digest: every {day} at {time} (on a day off, the next working day). "
        "Change it: /digest tue 09:00; turn it off: /digest off"
    ),
    "digest-schedule-off": "🗓 This group's digest is off; turn it on: /digest on",
    "digest-schedule-private": (
        "🗓 Digests go to the registered groups; each group sets its own day and time, "
        "e.g. /digest mon 08:00."
    ),
    "digest-set": "This group's digest now goes out every {day} at {time}.",
    "digest-turned-off": "This group's digest is off; turn it on again: /digest on",
    "digest-usage": (
        "Usage: /digest (preview the digest); /digest mon 08:00 (Monday to Friday, hours:minutes);"
        " /digest off; /digest on (back to Monday 08:00)."
    ),
    "digest-group-only": "A digest schedule is set in a registered working group only.",
    "digest-weekday-1": "Monday",
    "digest-weekday-2": "Tuesday",
    "digest-weekday-3": "Wednesday",
    "digest-weekday-4": "Thursday",
    "digest-weekday-5": "Friday",
    # Running more than one process (bot/serve.py, jobs/leader.py).
    "startup-poll-conflict": (
        "cannot poll: another process is already polling this bot (Telegram answered 409 "
        "Conflict); run one polling process, or several with `dondoc run --webhook`"
    ),
    # --- outbox: /outbox and the operators' commands (issue 10)
    "outbox-private-only": (
        "Please send /outbox in your private chat with the bot: the list shows the "
        "recipients' Telegram ids, which are not for the whole group."
    ),
    "outbox-none": "Every queued message was delivered: none failed or was blocked.",
    "outbox-title": "<b>Messages not delivered</b>: {total}, newest first",
    "outbox-line": (
        "• #{id} <code>{key}</code> — {status}\n"
        "To: <code>{chat}</code>; {attempts} {attempts:try|tries}; queued at {time} on {day}\n"
        "Error: {error}"
    ),
    "outbox-status-failed": "failed",
    "outbox-status-blocked": "blocked (the recipient blocked the bot or never started it)",
    "cli-unknown-job": "dondoc run-job: no job named “{name}” (jobs: {names})",
    "cli-bad-at": 'dondoc run-job: --at takes "YYYY-MM-DD HH:MM", not “{value}”',
    "cli-no-jobs": "No jobs are registered.",
    "cli-no-next-run": "no next run",
    "cli-run-job-done": (
        "{name}: queued {queued}; outbox: sent {sent}, failed {failed}, blocked {blocked}, "
        "still pending {pending}"
    ),
}
