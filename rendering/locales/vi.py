"""Vietnamese messages, as a ministry official would write them."""

MESSAGES: dict[str, str] = {
    # --- access and basics ---
    "start": (
        "Xin chào {name}! Tôi là <b>dondoc</b>, trợ lý đôn đốc thực hiện nhiệm vụ của "
        "Ban Chỉ đạo.\nGõ /status để xem tổng hợp tiến độ, /help để xem các lệnh."
    ),
    "help": (
        "<b>Các lệnh của dondoc</b>\n"
        "/status — tổng hợp tiến độ toàn Ban Chỉ đạo\n"
        "/status &lt;cơ quan|chương trình&gt; — tiến độ của một bộ, ngành, địa phương "
        "hoặc chương trình (ví dụ: /status MOF, /status Bộ Tài chính)\n"
        "/overdue [cơ quan|chương trình] — nhiệm vụ quá hạn\n"
        "/due [số ngày] — nhiệm vụ đến hạn trong N ngày tới (mặc định 7)\n"
        "/task &lt;mã&gt; — thông tin chi tiết một nhiệm vụ\n"
        "/lagging — 10 cơ quan chậm tiến độ nhất\n"
        "/agencies — danh sách cơ quan và mã viết tắt\n"
        "/language vi|en — đổi ngôn ngữ của nhóm\n"
        "Quản trị viên: /register (đăng ký nhóm), gửi tệp .xlsx/.csv kèm chú thích /import"
    ),
    "unknown-chat": (
        "Nhóm này chưa được đăng ký sử dụng dondoc nên tôi chưa thể cung cấp thông tin. "
        "Đề nghị quản trị viên của Ban Chỉ đạo gửi lệnh /register trong nhóm để đăng ký."
    ),
    "unknown-user": (
        "Xin lỗi, tài khoản của anh/chị chưa được cấp quyền sử dụng dondoc. "
        "Đề nghị liên hệ Văn phòng Ban Chỉ đạo để được cấp quyền, "
        "hoặc tra cứu trong nhóm công tác đã đăng ký."
    ),
    "admin-only": "Lệnh này chỉ dành cho quản trị viên của Ban Chỉ đạo.",
    "registered": "Đã đăng ký nhóm <b>{title}</b>. Các thành viên có thể dùng /status, /help.",
    "already-registered": "Nhóm này đã được đăng ký.",
    "register-group-only": "Lệnh /register dùng trong nhóm công tác cần đăng ký.",
    "language-set": "Đã chuyển ngôn ngữ sang tiếng Việt.",
    "language-usage": "Cách dùng: /language vi hoặc /language en",
    "error-internal": "Rất tiếc, đã có lỗi khi xử lý yêu cầu. Đề nghị thử lại sau ít phút.",
    "expired-button": "Nút này đã hết hiệu lực, đề nghị gửi lại lệnh.",
    # --- terminal console ---
    "console-banner": (
        "dondoc — trò chuyện với bot ngay trên dòng lệnh.\n"
        "Gõ /status MOF, /overdue, /due 30, /task NQ57-001, /lagging, /help.\n"
        "Nút bấm hiện dạng [1], [2]: gõ số để bấm. Thoát: /quit hoặc Ctrl+D."
    ),
    "cli-not-found": "Không tìm thấy cơ quan hoặc chương trình “{query}”. "
    "Danh sách mã cơ quan: dondoc status --by agency",
    "cli-choose": "“{query}” có thể là: {candidates}. Đề nghị ghi rõ mã.",
    "cli-two-programs": (
        "Chỉ chọn được một chương trình: “{query}” và --program đều là chương trình."
    ),
    "cli-cannot-read": "dondoc: không đọc được tệp {path} ({reason}).",
    "startup-token-rejected": (
        "TELEGRAM_BOT_TOKEN: Bot API không chấp nhận token "
        "(đề nghị kiểm tra token do @BotFather cấp)"
    ),
    "startup-api-unreachable": "TELEGRAM_API_BASE_URL: không kết nối được tới {url} ({reason})",
    "startup-db-unreachable": "DATABASE_URL: không mở được cơ sở dữ liệu ({reason})",
    "cli-db-up-to-date": "cơ sở dữ liệu đã ở phiên bản mới nhất",
    "cli-progress-read": "{name}: đã đọc {percent}%",
    "cli-progress-check": "{name}: đã kiểm tra {percent}%",
    "cli-progress-write": "{name}: đã xử lý {percent}%",
    "console-no-button": "(không có nút [{number}])",
    # --- command menu (set_my_commands) ---
    "cmd-status": "Tổng hợp tiến độ; /status <cơ quan|chương trình>",
    "cmd-overdue": "Nhiệm vụ quá hạn",
    "cmd-due": "Nhiệm vụ sắp đến hạn: /due [số ngày]",
    "cmd-task": "Chi tiết nhiệm vụ: /task <mã>",
    "cmd-lagging": "Các cơ quan chậm tiến độ",
    "cmd-agencies": "Danh sách cơ quan và mã",
    "cmd-language": "Đổi ngôn ngữ: /language vi|en",
    "cmd-help": "Hướng dẫn sử dụng",
    # --- lookups ---
    "not-found": (
        "Không tìm thấy cơ quan hay chương trình nào phù hợp với “{query}”. "
        "Tra cứu danh sách và mã viết tắt: /agencies"
    ),
    "choose-target": "Đề nghị chọn cơ quan hoặc chương trình cần tra cứu:",
    "query-too-long": "Nội dung tra cứu quá dài (tối đa {limit} ký tự).",
    # --- /status ---
    "status-committee-title": "<b>Tổng hợp tiến độ thực hiện nhiệm vụ</b> (tính đến ngày {today})",
    "status-program-title": "<b>Chương trình: {name}</b> (tính đến ngày {today})",
    "status-agency-in-program": (
        "<b>{name}</b> ({code}), chương trình {program} — tính đến ngày {today}"
    ),
    "status-agency-title": "<b>{name}</b> ({code}) — tính đến ngày {today}",
    "status-empty": "Chưa có nhiệm vụ nào.",
    "summary-body": (
        "Tổng số: <b>{total}</b> nhiệm vụ\n"
        "✅ Đã hoàn thành: <b>{completed}</b> ({completed_pct}%), trong đó "
        "đúng hạn {done_on_time}, chậm so với thời hạn {done_late}\n"
        "⏳ Trong hạn, chưa hoàn thành: <b>{on_schedule}</b> ({on_schedule_pct}%)\n"
        "⚠️ Quá hạn, chưa hoàn thành: <b>{overdue}</b> ({overdue_pct}%)\n"
        "🔁 Thường xuyên: <b>{routine}</b> ({routine_pct}%)\n"
        "📅 {due_by_year_end} nhiệm vụ đang trong hạn phải hoàn thành đến ngày {year_end}; "
        "cả năm còn {remaining} nhiệm vụ cần hoàn thành."
    ),
    "summary-split": "<b>{label}</b>: {total} nhiệm vụ — hoàn thành {completed}, "
    "trong hạn {on_schedule}, quá hạn {overdue}, thường xuyên {routine}",
    "split-central": "Các bộ, cơ quan trung ương",
    "split-local": "Các tỉnh, thành phố",
    "status-overdue-head": "\n<b>Nhiệm vụ quá hạn</b> ({count}):",
    "status-due-head": "\n<b>Sắp đến hạn</b>:",
    "status-more": "… và {count} nhiệm vụ khác: /overdue {code}",
    # --- lists ---
    "overdue-title": "<b>Nhiệm vụ quá hạn{suffix}</b>: {total}",
    "overdue-line": "• <code>{code}</code> [{agency}] {title} — hạn {deadline}, "
    "<b>quá {days} ngày</b>",
    "overdue-none": "Không có nhiệm vụ quá hạn{suffix}. 👍",
    "due-title": "<b>Nhiệm vụ đến hạn trong {days} ngày tới{suffix}</b>: {total}",
    "due-line": "• <code>{code}</code> [{agency}] {title} — hạn {deadline} ({when})",
    "due-none": "Không có nhiệm vụ nào đến hạn trong {days} ngày tới{suffix}.",
    "due-usage": "Cách dùng: /due [số ngày từ 1 đến {limit}], ví dụ /due 14",
    "due-today": "hôm nay",
    "due-in": "còn {days} ngày",
    "of-target": " — {name}",
    "page": "Trang {page}/{pages}",
    "button-prev": "◀ Trước",
    "button-next": "Sau ▶",
    # --- /task ---
    "task-usage": "Cách dùng: /task &lt;mã nhiệm vụ&gt;, ví dụ /task NQ57-001",
    "task-not-found": "Không tìm thấy nhiệm vụ có mã “{code}”.",
    "task-card": (
        "<b>{code}</b> — {title}\n"
        "Cơ quan chủ trì: {agency}\n"
        "Cơ quan phối hợp: {coordinating}\n"
        "Chương trình: {program}\n"
        "Văn bản giao: {source}\n"
        "Thời hạn: {deadline}\n"
        "Trạng thái: {status} ({bucket})\n"
        "Tiến độ: {progress}%\n"
        "Ngày hoàn thành: {completed_on}\n"
        "Ghi chú: {notes}\n"
        "Cập nhật lần cuối: {updated}"
    ),
    "none": "—",
    "no-deadline": "không thời hạn (thường xuyên)",
    "status-open": "Chưa thực hiện",
    "status-in_progress": "Đang thực hiện",
    "status-done": "Đã hoàn thành",
    "bucket-done_on_time": "đúng hạn",
    "bucket-done_late": "chậm so với thời hạn",
    "bucket-on_schedule": "trong hạn",
    "bucket-overdue": "quá hạn {days} ngày",
    "bucket-routine": "thường xuyên",
    # --- /lagging, /agencies ---
    "lagging-title": "<b>Các cơ quan chậm tiến độ</b> (đến ngày {today})",
    "lagging-line": "{rank}. <b>{code}</b> {name}: {overdue} nhiệm vụ quá hạn "
    "({overdue_share}% số nhiệm vụ có thời hạn chưa hoàn thành); "
    "đã hoàn thành {completion}% số nhiệm vụ có thời hạn",
    "lagging-none": "Không có cơ quan nào có nhiệm vụ quá hạn. 👍",
    "agencies-central": "<b>Bộ, cơ quan trung ương</b>",
    "agencies-local": "<b>Tỉnh, thành phố</b>",
    "agencies-programs": "<b>Chương trình</b>",
    "agencies-program": "• {name}",
    "agencies-line": "<code>{code}</code> — {name}",
    # --- import ---
    "import-need-file": "Đề nghị gửi tệp .xlsx hoặc .csv kèm chú thích /import.",
    "import-too-big": "Tệp quá lớn ({size} MB); Telegram chỉ cho phép bot tải tệp đến 20 MB.",
    "import-reading": "Đang đọc tệp <b>{name}</b>…",
    "import-progress": "Đang xử lý tệp <b>{name}</b>: {percent}%…",
    "import-dry-run": (
        "<b>Kiểm tra tệp {name}</b>: {total} dòng hợp lệ.\n"
        "Sẽ thêm mới {created}, cập nhật {updated}, giữ nguyên {unchanged} nhiệm vụ."
    ),
    "import-confirm": "Xác nhận nhập?",
    "import-done": (
        "<b>Đã nhập tệp {name}</b>: thêm mới {created}, cập nhật {updated}, "
        "giữ nguyên {unchanged} nhiệm vụ."
    ),
    "import-cancelled": "Đã hủy, không có thay đổi nào được ghi.",
    "import-stale": (
        "Dữ liệu đã thay đổi sau khi kiểm tra tệp <b>{name}</b> nên chưa nhập; "
        "đề nghị gửi lại tệp để kiểm tra lại."
    ),
    "import-expired": "Yêu cầu nhập đã hết hạn hoặc đã được xử lý; đề nghị gửi lại tệp.",
    "import-rejected": (
        "<b>Chưa nhập được tệp {name}</b> do có {count} lỗi; dữ liệu chưa thay đổi. "
        "Đề nghị chỉnh sửa các dòng sau rồi gửi lại:"
    ),
    "import-error-line": "• Dòng {row!s}, cột {column}: {reason}",
    "import-more-errors": "… và {count} lỗi khác.",
    "import-kept-columns": (
        "Tệp không có cột: {columns} — nhiệm vụ đã có giữ nguyên các thông tin này."
    ),
    "import-ignored-columns": "Bỏ qua cột không dùng: {columns}.",
    "import-ignored-columns-more": "Bỏ qua cột không dùng: {columns} và {count} cột khác.",
    "import-column-deadline": "thời hạn",
    "import-column-status": "trạng thái",
    "import-column-completed_on": "ngày hoàn thành",
    "import-column-program": "chương trình",
    "import-column-source": "văn bản giao nhiệm vụ",
    "import-column-coordinating": "cơ quan phối hợp",
    "import-column-progress": "tiến độ",
    "import-column-notes": "ghi chú",
    "button-confirm": "✅ Xác nhận",
    "button-cancel": "✖ Hủy",
    "import-file-empty": "Tệp rỗng (0 byte).",
    "import-file-type": "Định dạng “{ext}” không được hỗ trợ; đề nghị dùng .xlsx hoặc .csv.",
    "import-file-unreadable": "Không đọc được tệp; tệp không phải bảng tính hợp lệ.",
    "import-file-no-header": "Không tìm thấy dòng tiêu đề trong tệp.",
    "import-missing-columns": "Thiếu cột bắt buộc: {columns}.",
    "import-err-required": "chưa có nội dung (bắt buộc)",
    "import-err-required-merged": (
        "chưa có nội dung (bắt buộc); ô này thuộc vùng ô gộp, chỉ dòng đầu của vùng gộp "
        "có giá trị — đề nghị bỏ gộp ô và ghi đầy đủ cho từng dòng"
    ),
    "import-err-unevaluated": (
        "là ô công thức chưa có giá trị (tệp do phần mềm tạo, chưa mở bằng Excel); "
        "đề nghị mở tệp bằng Excel, lưu lại rồi gửi lại"
    ),
    "import-err-too-long": "quá dài (tối đa {limit} ký tự)",
    "import-err-unknown-agency": "không xác định được cơ quan “{value}”",
    "import-err-ambiguous-agency": "“{value}” có thể là {candidates}; đề nghị ghi rõ mã",
    "import-err-bad-date": "ngày “{value}” không hợp lệ (dùng DD/MM/YYYY hoặc YYYY-MM-DD)",
    "import-err-bad-status": (
        "trạng thái “{value}” không hợp lệ; đề nghị ghi một trong các giá trị: "
        "chưa thực hiện, đang thực hiện, đã hoàn thành (hoặc open, in_progress, done)"
    ),
    "import-err-completed-required": "nhiệm vụ đã hoàn thành phải có ngày hoàn thành",
    "import-err-completed-no-column": (
        "nhiệm vụ đã hoàn thành phải có ngày hoàn thành, nhưng tệp không có cột ngày hoàn thành"
    ),
    "import-err-completed-future": "ngày hoàn thành sau ngày hôm nay",
    "import-err-completed-not-done": "có ngày hoàn thành nhưng trạng thái chưa hoàn thành",
    "import-err-bad-progress": "tiến độ “{value}” phải là số nguyên từ 0 đến 100",
    "import-err-duplicate-code": "mã “{value}” trùng với dòng {first_row}",
    # --- a1: database errors ---
    "db-locked": (
        "cơ sở dữ liệu đang bận vì một thao tác ghi khác chưa xong; chưa có gì được ghi. "
        "Vui lòng thử lại sau ít phút"
    ),
    "db-deadlock": (
        "thao tác xung đột với một thao tác ghi đồng thời và đã được hủy; chưa có gì được ghi. "
        "Vui lòng thử lại"
    ),
    "db-constraint": (
        "cơ sở dữ liệu từ chối dữ liệu vi phạm ràng buộc ({reason}); chưa có gì được ghi"
    ),
}
