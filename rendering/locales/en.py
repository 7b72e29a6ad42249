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
        "/task &lt;code&gt; — the full card of one task\n"
        "/lagging — the 10 agencies with the most overdue tasks\n"
        "/agencies — agencies and their codes\n"
        "/programs — programs and their codes\n"
        "/language vi|en — change this chat's language\n"
        "Admins: /register [agency|program] (register a group, or one agency's or program's "
        "group); send an .xlsx/.csv file captioned /import; "
        "/agency add [CODE] Unit name; /program CODE Program name; "
        "/invite &lt;agency&gt; (invite a focal point); /members [agency]; "
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
        "overdue, routine, completed on time, completed late (or the committees' words: chưa "
        "thực hiện, đang thực hiện trong hạn, đang thực hiện quá hạn, thường xuyên, hoàn thành "
        "đúng hạn, hoàn thành quá hạn)"
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
