"""Vietnamese messages, as a ministry official would write them."""

MESSAGES: dict[str, str] = {
    # --- access and basics ---
    "start": (
        "Xin chào {name}! Tôi là <b>dondoc</b>, trợ lý theo dõi, đôn đốc thực hiện nhiệm vụ "
        "của Ban Chỉ đạo.\nGõ /status để xem tổng hợp tình hình thực hiện, /help để xem các lệnh."
    ),
    "help": (
        "<b>Các lệnh của dondoc</b>\n"
        "/status — tổng hợp tình hình thực hiện nhiệm vụ của toàn Ban Chỉ đạo\n"
        "/status &lt;cơ quan|chương trình&gt; — tình hình của một bộ, ngành, địa phương "
        "hoặc chương trình (ví dụ: /status MOF, /status Bộ Tài chính, /status NQ57)\n"
        "/overdue [cơ quan|chương trình] — nhiệm vụ quá hạn\n"
        "/due [số ngày] — nhiệm vụ đến hạn trong N ngày tới (mặc định 7 ngày)\n"
        "/task &lt;mã&gt; — thông tin chi tiết của một nhiệm vụ\n"
        "/lagging — 10 cơ quan có nhiều nhiệm vụ quá hạn nhất\n"
        "/agencies — danh sách cơ quan và mã\n"
        "/programs — danh sách chương trình và mã\n"
        "/language vi|en — đổi ngôn ngữ của nhóm\n"
        "Quản trị viên: /register [cơ quan|chương trình] (đăng ký nhóm, hoặc nhóm của một cơ "
        "quan, chương trình); gửi tệp .xlsx/.csv kèm chú thích /import; "
        "/agency add [MÃ] Tên đơn vị; /program MÃ Tên chương trình; "
        "/invite &lt;cơ quan&gt; (mời đầu mối); /members [cơ quan]; /revoke, /promote &lt;ID&gt;; "
        "/outbox (tin nhắn chưa gửi được)"
    ),
    "unknown-chat": (
        "Nhóm này chưa được đăng ký sử dụng dondoc nên chưa thể cung cấp thông tin. "
        "Quản trị viên của Ban Chỉ đạo đăng ký nhóm bằng lệnh /register gửi trong nhóm."
    ),
    "unknown-user": (
        "Xin lỗi, tài khoản của anh/chị chưa được cấp quyền sử dụng dondoc. "
        "Vui lòng liên hệ Văn phòng Ban Chỉ đạo để được cấp quyền, "
        "hoặc tra cứu trong nhóm công tác đã đăng ký."
    ),
    "admin-only": "Lệnh này chỉ dành cho quản trị viên của Ban Chỉ đạo.",
    "registered": (
        "Đã đăng ký nhóm <b>{title}</b>. Thành viên trong nhóm có thể dùng /status, /help."
    ),
    "already-registered": "Nhóm này đã được đăng ký.",
    "group-scope": (
        "Đây là nhóm công tác của <b>{name}</b> ({code}): /status, /overdue và /due trong nhóm "
        "mặc định cho {code}; /status và /overdue vẫn hỏi được cơ quan, chương trình khác bằng "
        "tên (/status &lt;tên&gt;) hoặc toàn Ban Chỉ đạo (/status all). Gửi /register all để "
        "nhóm theo dõi toàn bộ nhiệm vụ."
    ),
    "group-scope-cleared": "Nhóm này theo dõi toàn bộ nhiệm vụ của Ban Chỉ đạo.",
    "register-group-only": "Vui lòng gửi lệnh /register trong nhóm công tác cần đăng ký.",
    "language-set": "Đã chuyển ngôn ngữ sang tiếng Việt.",
    "language-usage": "Cách dùng: /language vi hoặc /language en",
    "error-internal": "Rất tiếc, đã có lỗi khi xử lý yêu cầu. Vui lòng thử lại sau ít phút.",
    "expired-button": "Nút này đã hết hiệu lực. Vui lòng gửi lại lệnh.",
    # --- terminal console ---
    "console-banner": (
        "dondoc — trò chuyện với bot ngay trên dòng lệnh.\n"
        "Gõ /status MOF, /status NQ57, /overdue, /due 30, /task NQ57-001, /lagging, /help.\n"
        "Nút bấm hiện dạng [1], [2]: gõ số để bấm. Thoát: /quit hoặc Ctrl+D."
    ),
    "cli-not-found": "Không tìm thấy cơ quan hoặc chương trình “{query}”. "
    "Danh sách mã cơ quan: dondoc status --by agency",
    "cli-choose": "“{query}” có thể là: {candidates}. Vui lòng ghi rõ mã.",
    "cli-two-programs": (
        "Chỉ chọn được một chương trình: “{query}” và --program đều là chương trình."
    ),
    "cli-cannot-read": "dondoc: không đọc được tệp {path} ({reason}).",
    "startup-token-rejected": (
        "TELEGRAM_BOT_TOKEN: Bot API không chấp nhận token "
        "(vui lòng kiểm tra token do @BotFather cấp)"
    ),
    "startup-api-unreachable": "TELEGRAM_API_BASE_URL: không kết nối được tới {url} ({reason})",
    "startup-db-unreachable": "DATABASE_URL: không mở được cơ sở dữ liệu ({reason})",
    "cli-db-up-to-date": "cơ sở dữ liệu đã ở phiên bản mới nhất, không có gì phải làm",
    "cli-db-upgraded": "đã cập nhật cơ sở dữ liệu lên phiên bản mới nhất",
    "cli-progress-read": "{name}: đã đọc {percent}%",
    "cli-progress-check": "{name}: đã kiểm tra {percent}%",
    "cli-progress-write": "{name}: đã xử lý {percent}%",
    "console-no-button": "(không có nút [{number}])",
    # --- command menu (set_my_commands) ---
    "cmd-status": "Tổng hợp tình hình thực hiện; /status <cơ quan|chương trình>",
    "cmd-overdue": "Nhiệm vụ quá hạn",
    "cmd-due": "Nhiệm vụ đến hạn trong N ngày tới: /due [số ngày]",
    "cmd-task": "Chi tiết nhiệm vụ: /task <mã>",
    "cmd-lagging": "Các cơ quan có nhiều nhiệm vụ quá hạn nhất",
    "cmd-agencies": "Danh sách cơ quan và mã",
    "cmd-language": "Đổi ngôn ngữ: /language vi|en",
    "cmd-help": "Hướng dẫn sử dụng",
    # --- lookups ---
    "not-found": (
        "Không tìm thấy cơ quan hoặc chương trình nào có tên hay mã “{query}”. "
        "Vui lòng xem danh sách và mã tại /agencies, /programs."
    ),
    "choose-target": "Vui lòng chọn cơ quan hoặc chương trình cần tra cứu:",
    "query-too-long": "Nội dung tra cứu quá dài (tối đa {limit} ký tự).",
    # --- /status ---
    "status-committee-title": (
        "<b>Tổng hợp tình hình thực hiện nhiệm vụ</b> (tính đến ngày {today})"
    ),
    "status-program-title": "<b>{program}</b> — tính đến ngày {today}",
    "status-agency-in-program": "<b>{name}</b> ({code}) — {program}, tính đến ngày {today}",
    "status-agency-title": "<b>{name}</b> ({code}) — tính đến ngày {today}",
    "status-empty": "Chưa có nhiệm vụ nào.",
    "summary-body": (
        "Tổng số: <b>{total}</b> nhiệm vụ\n"
        "✅ Đã hoàn thành: <b>{completed}</b> ({completed_pct}%){completed_detail}\n"
        "⏳ Đang thực hiện trong hạn: <b>{on_schedule}</b> ({on_schedule_pct}%)\n"
        "⚠️ Quá hạn, chưa hoàn thành: <b>{overdue}</b> ({overdue_pct}%)\n"
        "🔁 Nhiệm vụ thường xuyên: <b>{routine}</b> ({routine_pct}%)\n"
        "📅 {year_end_sentence}"
    ),
    "summary-split": (
        "<b>{label} ({members})</b>: {total} nhiệm vụ; "
        "đã hoàn thành {completed} ({completed_pct}%), "
        "đang thực hiện trong hạn {on_schedule} ({on_schedule_pct}%), "
        "quá hạn {overdue} ({overdue_pct}%), thường xuyên {routine} ({routine_pct}%)"
    ),
    "split-central": "Khối bộ, cơ quan trung ương",
    "split-local": "Khối địa phương",
    "status-overdue-head": "\n<b>Nhiệm vụ quá hạn</b> ({count}):",
    "status-due-head": "\n<b>Sắp đến hạn</b> (trong {days} ngày tới):",
    "status-more": "… và {count} nhiệm vụ quá hạn khác: /overdue {code}",
    # --- lists ---
    "overdue-title": "<b>Nhiệm vụ quá hạn{suffix}</b>: {total}",
    "overdue-line": "• <code>{code}</code> [{agency}] {title} — hạn {deadline}, "
    "<b>quá {days} ngày</b>",
    "overdue-none": "Không có nhiệm vụ nào quá hạn{suffix}.",
    "due-title": "<b>Nhiệm vụ đến hạn trong {days} ngày tới{suffix}</b>: {total}",
    "due-line": "• <code>{code}</code> [{agency}] {title} — hạn {deadline} ({when})",
    "due-none": "Không có nhiệm vụ nào đến hạn trong {days} ngày tới{suffix}.",
    "due-usage": "Cách dùng: /due [số ngày, từ 1 đến {limit}], ví dụ /due 14",
    "due-today": "hôm nay",
    "due-in": "còn {days} ngày",
    "of-target": " — {name}",
    "page": "Trang {page}/{pages}",
    "button-prev": "◀ Trang trước",
    "button-next": "Trang sau ▶",
    # --- /task ---
    "task-usage": "Cách dùng: /task &lt;mã nhiệm vụ&gt;, ví dụ /task NQ57-001",
    "task-not-found": "Không tìm thấy nhiệm vụ có mã “{code}”.",
    "task-card": (
        "<b>{code}</b> — {title}\n"
        "Cơ quan chủ trì: {agency}\n"
        "Cơ quan phối hợp: {coordinating}\n"
        "Chương trình: {program}\n"
        "Văn bản giao nhiệm vụ: {source}\n"
        "Thời hạn: {deadline}\n"
        "Trạng thái: {state}\n"
        "Tiến độ: {progress}%\n"
        "Ngày hoàn thành: {completed_on}\n"
        "Ghi chú: {notes}\n"
        "Cập nhật lần cuối: {updated}"
    ),
    "none": "—",
    "no-deadline": "không có thời hạn (nhiệm vụ thường xuyên)",
    "status-open": "Chưa thực hiện",
    "status-in_progress": "Đang thực hiện",
    "status-done": "Đã hoàn thành",
    "state-done": "{bucket}",
    "state-not-done": "{status} ({bucket})",
    "bucket-done_on_time": "Hoàn thành đúng hạn",
    "bucket-done_late": "Hoàn thành quá hạn",
    "bucket-on_schedule": "trong hạn",
    "bucket-overdue": "quá hạn {days} ngày",
    "bucket-routine": "nhiệm vụ thường xuyên",
    # --- /lagging, /agencies ---
    "lagging-title": (
        "<b>Các cơ quan có nhiều nhiệm vụ quá hạn nhất{suffix}</b> (tính đến ngày {today})\n"
        "<i>Xếp theo số nhiệm vụ quá hạn, nhiều nhất trước; cùng số nhiệm vụ quá hạn thì cơ "
        "quan có tỷ lệ hoàn thành thấp hơn xếp trước. Tỷ lệ hoàn thành là số nhiệm vụ đã "
        "hoàn thành trên tổng số nhiệm vụ được giao, như trong /status.</i>"
    ),
    "lagging-line": "{rank}. <b>{code}</b> {name}: {overdue} nhiệm vụ quá hạn; "
    "đã hoàn thành {completed}/{total} nhiệm vụ ({completion}%)",
    "lagging-none": "Không có cơ quan nào có nhiệm vụ quá hạn{suffix}.",
    "agencies-central": "<b>Bộ, cơ quan trung ương</b>",
    "agencies-local": "<b>Tỉnh, thành phố</b>",
    "agencies-programs": "<b>Chương trình</b>",
    "agencies-program": "<code>{code}</code> — {name}",
    "agencies-line": "<code>{code}</code> — {name}",
    # --- import ---
    "import-need-file": "Vui lòng gửi tệp .xlsx hoặc .csv kèm chú thích /import.",
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
    "import-cancelled": "Đã hủy nhập tệp; dữ liệu không thay đổi.",
    "import-stale": (
        "Dữ liệu đã thay đổi sau khi kiểm tra tệp <b>{name}</b> nên chưa nhập. "
        "Vui lòng gửi lại tệp để kiểm tra lại."
    ),
    "import-expired": "Yêu cầu nhập đã hết hạn; vui lòng gửi lại tệp để kiểm tra lại.",
    "import-rejected": (
        "<b>Chưa nhập được tệp {name}</b> do có {count} lỗi; dữ liệu chưa thay đổi. "
        "Vui lòng chỉnh sửa các dòng sau rồi gửi lại:"
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
    "import-file-type": "Định dạng “{ext}” không được hỗ trợ; vui lòng dùng tệp .xlsx hoặc .csv.",
    "import-file-unreadable": "Không đọc được tệp; tệp không phải bảng tính hợp lệ.",
    "import-file-no-header": "Không tìm thấy dòng tiêu đề trong tệp.",
    "import-missing-columns": "Thiếu cột bắt buộc: {columns}.",
    "import-err-required": "chưa có nội dung (bắt buộc)",
    "import-err-required-merged": (
        "chưa có nội dung (bắt buộc); ô này thuộc vùng ô gộp, chỉ dòng đầu của vùng gộp "
        "có giá trị; vui lòng bỏ gộp ô và ghi đầy đủ cho từng dòng"
    ),
    "import-err-unevaluated": (
        "là ô công thức chưa có giá trị (tệp do phần mềm tạo, chưa mở bằng Excel); "
        "vui lòng mở tệp bằng Excel, lưu lại rồi gửi lại"
    ),
    "import-err-too-long": "quá dài (tối đa {limit} ký tự)",
    "import-err-unknown-agency": (
        "không có cơ quan “{value}” trong danh sách (/agencies); nếu là đơn vị khác, quản trị "
        "viên thêm bằng /agency add hoặc dondoc import --add-agencies"
    ),
    "import-err-ambiguous-agency": (
        "“{value}” không trùng khớp tên hoặc mã của cơ quan nào; có thể là: {candidates}. "
        "Vui lòng ghi đúng tên hoặc mã cơ quan"
    ),
    "import-err-bad-date": "ngày “{value}” không hợp lệ (dùng DD/MM/YYYY hoặc YYYY-MM-DD)",
    "import-err-bad-status": (
        "trạng thái “{value}” không hợp lệ; vui lòng ghi một trong các giá trị: chưa thực hiện, "
        "đang thực hiện trong hạn, đang thực hiện quá hạn, thường xuyên, hoàn thành đúng hạn, "
        "hoàn thành quá hạn (hoặc open, in_progress, done)"
    ),
    "import-err-completed-required": "nhiệm vụ đã hoàn thành phải có ngày hoàn thành",
    "import-err-completed-no-column": (
        "nhiệm vụ đã hoàn thành phải có ngày hoàn thành, nhưng tệp không có cột ngày hoàn thành"
    ),
    "import-err-completed-future": "ngày hoàn thành sau ngày hôm nay",
    "import-err-completed-not-done": "có ngày hoàn thành nhưng trạng thái chưa hoàn thành",
    "import-err-bad-progress": "tiến độ “{value}” phải là số nguyên từ 0 đến 100",
    "import-err-duplicate-code": "mã “{value}” trùng với dòng {first_row}",
    # --- b: pending actions, deep links ---
    "import-unknown": "Không tìm thấy yêu cầu nhập này; vui lòng gửi lại tệp.",
    "import-used": "Yêu cầu nhập này đã được xử lý (đã xác nhận hoặc đã hủy).",
    "start-link-invalid": (
        "Đường dẫn này không hợp lệ hoặc đã hết hạn. Vui lòng liên hệ Ban thư ký "
        "để được gửi đường dẫn mới."
    ),
    # --- d: start-up and database errors ---
    "startup-api-not-json": (
        "TELEGRAM_API_BASE_URL: {url} trả lời HTTP {status} nhưng không phải JSON của Bot API; "
        "vui lòng kiểm tra lại địa chỉ"
    ),
    "db-locked": (
        "cơ sở dữ liệu đang bị một tiến trình khác khóa ({reason}); "
        "vui lòng chạy lại lệnh khi tiến trình đó kết thúc"
    ),
    "db-deadlock": (
        "cơ sở dữ liệu đã hủy giao dịch do xung đột ghi đồng thời với một tiến trình khác "
        "(deadlock: {reason}); vui lòng chạy lại lệnh"
    ),
    "db-constraint": "cơ sở dữ liệu từ chối dữ liệu vì vi phạm ràng buộc ({reason})",
    # --- e: the committee's own words and names ---
    "cmd-programs": "Danh sách chương trình và mã",
    "did-you-mean": "Có phải <b>{name}</b> ({code})?",
    "former-merged": "<i>{name} ({code}) — gồm {former} (hợp nhất từ {since})</i>",
    "former-transferred": "<i>{name} ({code}) — gồm {former} (chuyển về từ {since})</i>",
    "former-renamed": "<i>{name} ({code}) — trước đây là {former} (đổi tên từ {since})</i>",
    "data-date": "<i>Số liệu cập nhật đến {time} ngày {day}</i>",
    "year-end-all": (
        "Trong {on_schedule} nhiệm vụ đang thực hiện trong hạn, có {due} nhiệm vụ phải hoàn "
        "thành trước ngày {year_end}; cùng với {overdue} nhiệm vụ quá hạn, năm {year} còn "
        "{remaining} nhiệm vụ phải hoàn thành."
    ),
    "year-end-due": (
        "Trong {on_schedule} nhiệm vụ đang thực hiện trong hạn, có {due} nhiệm vụ phải hoàn "
        "thành trước ngày {year_end}; năm {year} còn {remaining} nhiệm vụ phải hoàn thành."
    ),
    "year-end-overdue": (
        "Năm {year} còn {overdue} nhiệm vụ quá hạn phải hoàn thành; không có nhiệm vụ đang "
        "thực hiện trong hạn nào có thời hạn đến ngày {year_end}."
    ),
    "year-end-none": "Không còn nhiệm vụ nào phải hoàn thành trong năm {year}.",
    "split-other": "Đơn vị khác",
    "split-empty": "<b>{label}</b>: chưa có nhiệm vụ.",
    "coverage-overdue": "{with_overdue}/{agencies} cơ quan có nhiệm vụ quá hạn.",
    "coverage-overdue-none": "Không có cơ quan nào có nhiệm vụ quá hạn.",
    "coverage-threshold": (
        "{at}/{agencies} cơ quan đạt tỷ lệ hoàn thành từ {threshold}% trở lên; "
        "{below} cơ quan dưới {threshold}%."
    ),
    "coverage-threshold-all": (
        "Cả {agencies} cơ quan đều đạt tỷ lệ hoàn thành từ {threshold}% trở lên."
    ),
    "coverage-threshold-none": (
        "Không có cơ quan nào đạt tỷ lệ hoàn thành từ {threshold}% trở lên "
        "({agencies} cơ quan đều dưới {threshold}%)."
    ),
    "agencies-other": "<b>Đơn vị khác</b>",
    "programs-title": "<b>Các chương trình</b>",
    "programs-none": (
        "Chưa có chương trình nào. Quản trị viên thêm chương trình bằng lệnh "
        "/program MÃ Tên chương trình, ví dụ /program NQ57 Nghị quyết 57-NQ/TW."
    ),
    "agency-usage": (
        "Cách dùng: /agency add [MÃ] Tên đơn vị, ví dụ /agency add KTNN Kiểm toán nhà nước"
    ),
    "agency-add-usage": (
        "Vui lòng ghi tên đơn vị: /agency add [MÃ] Tên đơn vị, ví dụ "
        "/agency add KTNN Kiểm toán nhà nước"
    ),
    "agency-added": (
        "Đã thêm <b>{name}</b> (mã <code>{code}</code>) vào nhóm “Đơn vị khác”. "
        "Từ nay có thể giao nhiệm vụ và tra cứu: /status {code}"
    ),
    "agency-exists": "“{name}” đã có trong danh sách: {agency}. Không thêm đơn vị mới.",
    "agency-bad-code": (
        "Mã “{code}” không hợp lệ; vui lòng dùng tối đa 16 chữ cái không dấu, chữ số, "
        "dấu gạch ngang (ví dụ KTNN)."
    ),
    "code-taken": "Mã “{code}” đã được dùng cho một cơ quan hoặc chương trình khác.",
    "program-usage": (
        "Cách dùng: /program MÃ Tên chương trình, ví dụ /program NQ57 Nghị quyết 57-NQ/TW"
    ),
    "program-bad-code": (
        "Mã chương trình “{code}” không hợp lệ; vui lòng dùng mã ngắn không dấu, không có "
        "khoảng trắng (ví dụ NQ57, DA06, CCHC)."
    ),
    "program-created": "Đã thêm chương trình <b>{name}</b> (mã <code>{code}</code>).",
    "program-renamed": "Đã đổi tên chương trình <code>{code}</code> thành <b>{name}</b>.",
    "program-coded": "Chương trình <b>{name}</b> từ nay có mã <code>{code}</code>.",
    "program-unchanged": "Chương trình <b>{name}</b> (mã <code>{code}</code>) không thay đổi.",
    "import-new-agencies": "Sẽ thêm {count} đơn vị mới vào nhóm “Đơn vị khác”: {names}.",
    "import-new-programs": "Chương trình mới: {names}.",
    "import-column-program_code": "mã chương trình",
    "import-err-bad-program-code": (
        "mã chương trình “{value}” không hợp lệ; vui lòng dùng mã ngắn không dấu, không có "
        "khoảng trắng (ví dụ NQ57)"
    ),
    "import-err-program-mismatch": (
        "mã chương trình “{code}” và tên chương trình “{name}” là hai chương trình khác nhau"
    ),
    "import-err-program-has-code": (
        "chương trình “{name}” đã có mã khác, không phải “{code}” (xem /programs)"
    ),
    "import-err-claim-overdue": (
        "trạng thái “{value}” ghi quá hạn nhưng thời hạn {deadline} chưa đến; vui lòng "
        "kiểm tra lại trạng thái hoặc thời hạn"
    ),
    "import-err-claim-in-time": (
        "trạng thái “{value}” ghi trong hạn nhưng thời hạn {deadline} đã qua; vui lòng "
        "kiểm tra lại trạng thái hoặc thời hạn"
    ),
    "import-err-claim-on-time": (
        "trạng thái “{value}” ghi đúng hạn nhưng ngày hoàn thành {completed_on} sau thời hạn "
        "{deadline}"
    ),
    "import-err-claim-late": (
        "trạng thái “{value}” ghi quá hạn nhưng ngày hoàn thành {completed_on} không sau thời "
        "hạn {deadline}"
    ),
    "import-err-claim-routine": (
        "trạng thái “{value}” là nhiệm vụ thường xuyên nhưng nhiệm vụ có thời hạn {deadline}"
    ),
    "import-err-claim-no-deadline": (
        "trạng thái “{value}” ghi quá hạn nhưng nhiệm vụ không có thời hạn"
    ),
    "summary-completed-detail": (
        ", trong đó hoàn thành đúng hạn {done_on_time}, hoàn thành quá hạn {done_late}"
    ),
    "bloc-members-central": "{agencies} cơ quan",
    "bloc-members-local": "{agencies} tỉnh, thành phố",
    "bloc-members-other": "{agencies} đơn vị",
    "agencies-program-name": "• {name}",
    "import-err-program-code-taken": "mã chương trình “{code}” trùng với mã của một cơ quan",
    # --- c: hostile files, damaged csv, codes and dates ---
    "import-file-too-large": "Tệp quá lớn: giải nén ra {size} MB, vượt giới hạn {limit} MB.",
    "import-file-zip-bomb": (
        "Tệp nén bất thường: một phần của tệp giải nén ra gấp {ratio} lần kích thước nén "
        "(tối đa {limit} lần); đây không phải bảng tính thông thường."
    ),
    "import-file-too-many-parts": (
        "Tệp gồm {count} phần nén, vượt giới hạn {limit}; đây không phải bảng tính thông thường."
    ),
    "import-file-too-many-rows": (
        "Quá nhiều dòng: trang tính có dữ liệu đến dòng {rows}, vượt giới hạn {limit} dòng."
    ),
    "import-file-too-many-columns": (
        "Quá nhiều cột: trang tính rộng {columns} cột, vượt giới hạn {limit} cột."
    ),
    "import-file-grid-too-large": (
        "Tệp quá lớn: trang tính trải trên {rows} dòng, {columns} cột, cần khoảng {size} MB "
        "để đọc, vượt giới hạn {limit} MB."
    ),
    "import-file-cell-too-long": (
        "Tệp có một ô chứa hơn {limit} KB văn bản, trong khi Excel chỉ cho phép 32.767 ký tự "
        "một ô; đây không phải bảng theo dõi nhiệm vụ."
    ),
    "import-file-too-many-merged": (
        "Trang tính có {count} vùng ô gộp, vượt giới hạn {limit}; vui lòng bỏ gộp ô rồi gửi lại."
    ),
    "import-file-memory": (
        "Đọc tệp cần hơn {limit} MB bộ nhớ nên đã dừng; tệp không giống một bảng theo dõi "
        "nhiệm vụ."
    ),
    "import-file-timeout": "Đọc tệp quá {seconds} giây nên đã dừng; vui lòng kiểm tra lại tệp.",
    "import-file-crashed": "Không đọc được tệp: trình đọc bảng tính dừng đột ngột.",
    "import-file-unclosed-quote": (
        'Dòng {line} của tệp có dấu ngoặc kép (") mở mà không đóng, nên các dòng sau bị gộp '
        "vào một ô; vui lòng sửa dòng này rồi gửi lại."
    ),
    "import-file-bad-encoding": (
        "Tệp không phải văn bản UTF-8 hợp lệ (lỗi mã hóa ở dòng {line}); nếu đọc theo bảng mã "
        "Windows-1258 sẽ lưu thành “{sample}”. Vui lòng lưu lại tệp dưới dạng "
        "CSV UTF-8 rồi gửi lại."
    ),
    "import-err-date-range": "ngày “{value}” nằm ngoài khoảng năm {first} đến {last}",
    "import-err-code-control": "mã chứa ký tự điều khiển (xuống dòng, tab…)",
    "import-err-invisible": "chỉ gồm ký tự vô hình (không hiển thị)",
    # --- lead: chat import ---
    "import-download-failed": "Chưa tải được tệp {name} từ Telegram; vui lòng gửi lại tệp.",
    # --- a1: database errors ---
    # --- invites and members ---
    "not-an-agency": (
        "“{name}” là chương trình, không phải cơ quan; vui lòng ghi tên hoặc mã cơ quan "
        "(xem /agencies)."
    ),
    "choose-agency": "Vui lòng chọn cơ quan:",
    "invite-usage": (
        "Cách dùng: /invite &lt;cơ quan&gt;, ví dụ /invite MOF — tạo đường dẫn mời đầu mối "
        "của cơ quan."
    ),
    "members-private-only": (
        "Vui lòng gửi /members trong cuộc trò chuyện riêng với bot: danh sách có tên và mã "
        "Telegram của từng người, không nên đăng trong nhóm."
    ),
    "invite-private-only": (
        "Vui lòng gửi /invite trong cuộc trò chuyện riêng với bot: đường dẫn mời chỉ dùng "
        "được một lần, nếu gửi vào nhóm thì người bấm đầu tiên sẽ trở thành đầu mối."
    ),
    "invite-made": (
        "Đã tạo đường dẫn mời đầu mối của <b>{name}</b> ({code}), dùng một lần, có hiệu lực "
        "đến {time} ngày {day}.\n"
        "Vui lòng chuyển tiếp tin nhắn dưới đây cho đầu mối của cơ quan."
    ),
    "invite-card": (
        "Lời mời tham gia <b>dondoc</b>, trợ lý theo dõi, đôn đốc thực hiện nhiệm vụ của "
        "Ban Chỉ đạo, với vai trò đầu mối của <b>{name}</b> ({code}).\n"
        "Vui lòng mở đường dẫn sau trong Telegram (dùng một lần, có hiệu lực đến {time} "
        "ngày {day}):\n{link}"
    ),
    "invite-welcome": (
        "Xin chào {name}! Anh/chị đã là đầu mối của <b>{agency}</b> ({code}) trên dondoc.{moved}\n"
        "Anh/chị có thể dùng các lệnh:\n"
        "/status {code} — tình hình thực hiện nhiệm vụ của cơ quan\n"
        "/overdue {code} — nhiệm vụ quá hạn của cơ quan\n"
        "/task &lt;mã&gt; — thông tin chi tiết một nhiệm vụ, ví dụ /task NQ57-001\n"
        "/help — các lệnh khác"
    ),
    "invite-accepted": (
        "✅ {name} (ID <code>{user_id}</code>) đã nhận lời mời và là đầu mối của "
        "<b>{agency}</b> ({code})."
    ),
    "invite-moved": " Anh/chị không còn là đầu mối của {previous} ({previous_code}).",
    "invite-used": (
        "Đường dẫn mời này đã được sử dụng; mỗi đường dẫn chỉ dùng được một lần. "
        "Vui lòng đề nghị Văn phòng Ban Chỉ đạo gửi đường dẫn mới."
    ),
    "invite-expired": (
        "Đường dẫn mời này đã hết hạn (hiệu lực đến {time} ngày {day}). "
        "Vui lòng đề nghị Văn phòng Ban Chỉ đạo gửi đường dẫn mới."
    ),
    "invite-admin": (
        "Anh/chị là quản trị viên nên vẫn giữ quyền quản trị. Đường dẫn mời đầu mối của "
        "<b>{agency}</b> ({code}) chưa được sử dụng; vui lòng chuyển cho đầu mối của cơ quan."
    ),
    "invite-already": (
        "Anh/chị đã là đầu mối của <b>{agency}</b> ({code}). "
        "Tình hình thực hiện nhiệm vụ của cơ quan: /status {code}"
    ),
    "invite-ask-move": (
        "Anh/chị đang là đầu mối của <b>{current}</b> ({current_code}). Mỗi người chỉ làm "
        "đầu mối của một cơ quan: nếu nhận lời mời này, anh/chị sẽ chuyển sang làm đầu mối "
        "của <b>{agency}</b> ({code}) và thôi làm đầu mối của {current}. Anh/chị có muốn "
        "chuyển không?"
    ),
    "button-move": "Chuyển sang {code}",
    "button-keep": "Giữ {code}",
    "invite-kept": (
        "Anh/chị vẫn là đầu mối của <b>{current}</b> ({current_code}). Nếu đổi ý, anh/chị có "
        "thể mở lại đường dẫn mời trước {time} ngày {day}."
    ),
    "invite-declined": (
        "Không có gì thay đổi. Nếu đổi ý, anh/chị có thể mở lại đường dẫn mời trước {time} "
        "ngày {day}."
    ),
    "invite-private-open": "Vui lòng mở đường dẫn mời trong cuộc trò chuyện riêng với bot.",
    "members-title": (
        "<b>Đầu mối của các cơ quan</b>: {leads} người; {agencies}/{total} cơ quan đã có đầu mối."
    ),
    "members-agency": "<b>{name}</b> ({code}): {count} đầu mối",
    "members-line": "• {name} — ID <code>{user_id}</code>, từ ngày {day}",
    "members-none-agency": (
        "<b>{name}</b> ({code}) chưa có đầu mối. Tạo đường dẫn mời: /invite {code}"
    ),
    "members-none": (
        "Chưa có cơ quan nào có đầu mối. Tạo đường dẫn mời: /invite &lt;cơ quan&gt;, hoặc "
        "cho nhiều cơ quan cùng lúc: dondoc invite --all"
    ),
    "members-admins": "<b>Quản trị viên</b>: {count}",
    "members-admin-line": "• {name} — ID <code>{user_id}</code>",
    "members-settings-admin": "• ID <code>{user_id}</code> (khai báo trong DONDOC_ADMINS)",
    "members-more": "… và {count} người khác; /members &lt;cơ quan&gt; để xem từng cơ quan.",
    "members-hint": (
        "Thu hồi quyền: /revoke &lt;ID&gt;; chuyển thành quản trị viên: /promote &lt;ID&gt; "
        "(hoặc trả lời tin nhắn của người đó bằng lệnh)."
    ),
    "member-no-name": "(chưa có tên)",
    "member-who-lead": "{name} (ID <code>{user_id}</code>, đầu mối của {agency})",
    "member-who-admin": "{name} (ID <code>{user_id}</code>, quản trị viên)",
    "member-who-viewer": "{name} (ID <code>{user_id}</code>)",
    "revoke-usage": (
        "Cách dùng: /revoke &lt;ID Telegram&gt; (xem ID tại /members), hoặc trả lời tin nhắn "
        "của người cần thu hồi quyền bằng /revoke."
    ),
    "promote-usage": (
        "Cách dùng: /promote &lt;ID Telegram&gt; (xem ID tại /members), hoặc trả lời tin nhắn "
        "của người cần chuyển thành quản trị viên bằng /promote."
    ),
    "member-self": "Không thể tự thay đổi quyền của chính mình.",
    "member-settings-admin": (
        "Người dùng <code>{user_id}</code> là quản trị viên khai báo trong DONDOC_ADMINS; "
        "quyền này chỉ thay đổi được bằng cách sửa thiết lập đó."
    ),
    "member-unknown": (
        "Người dùng <code>{user_id}</code> chưa là thành viên của dondoc. Mời làm đầu mối: "
        "/invite &lt;cơ quan&gt;"
    ),
    "member-already-admin": "{who} đã là quản trị viên.",
    "member-not-a-person": (
        "Tin nhắn đó được gửi dưới danh nghĩa một kênh hoặc một nhóm, không phải của một "
        "người; vui lòng ghi ID của người cần thay đổi quyền."
    ),
    "member-bot": (
        "Đó là tin nhắn của bot; vui lòng trả lời tin nhắn của người cần thay đổi quyền."
    ),
    "revoke-ask": (
        "Thu hồi quyền của {who}? Người này sẽ không còn sử dụng được dondoc, trừ tra cứu "
        "trong các nhóm công tác đã đăng ký."
    ),
    "promote-ask": (
        "Chuyển {who} thành quản trị viên? Quản trị viên có toàn quyền: nhập dữ liệu, mời và "
        "thu hồi quyền đầu mối, đăng ký nhóm.{leaving}"
    ),
    "promote-leaving": " Người này sẽ thôi làm đầu mối của {agency}.",
    "revoke-done": "Đã thu hồi quyền của {who}.",
    "promote-done": "{who} đã trở thành quản trị viên.",
    "member-change-cancelled": "Đã hủy; quyền của {who} không thay đổi.",
    "member-changed-meanwhile": (
        "Quyền của người dùng này đã thay đổi trong lúc chờ xác nhận nên chưa thực hiện. "
        "Vui lòng xem /members rồi gửi lại lệnh."
    ),
    "member-change-expired": "Yêu cầu đã hết hạn; vui lòng gửi lại lệnh.",
    "member-change-used": "Yêu cầu này đã được xử lý.",
    "cli-invite-usage": "dondoc invite: ghi tên hoặc mã cơ quan, hoặc --all (không dùng cả hai)",
    "cli-invite-program": "“{query}” là chương trình, không phải cơ quan.",
    "cli-invite-expires": (
        "{count} đường dẫn mời, mỗi đường dẫn dùng một lần, có hiệu lực đến {time} ngày {day}."
    ),
    # --- outbox: /outbox and the operators' commands (issue 10)
    "outbox-private-only": (
        "Vui lòng gửi /outbox trong cuộc trò chuyện riêng với bot: danh sách có mã Telegram "
        "của người nhận, không nên đăng trong nhóm."
    ),
    "outbox-none": "Không có tin nhắn nào gửi không thành công.",
    "outbox-title": "<b>Tin nhắn chưa gửi được</b>: {total} tin, mới nhất trước",
    "outbox-line": (
        "• #{id} <code>{key}</code> — {status}\n"
        "Người nhận: <code>{chat}</code>; đã thử {attempts} lần; tạo lúc {time} ngày {day}\n"
        "Lỗi: {error}"
    ),
    "outbox-status-failed": "gửi lỗi",
    "outbox-status-blocked": "bị chặn (người nhận đã chặn bot hoặc chưa bắt đầu trò chuyện)",
    "cli-unknown-job": "dondoc run-job: không có công việc “{name}” (các công việc: {names})",
    "cli-bad-at": 'dondoc run-job: --at cần dạng "YYYY-MM-DD HH:MM", không phải “{value}”',
    "cli-no-jobs": "Chưa có công việc nào được đăng ký.",
    "cli-no-next-run": "không có lần chạy tới",
    "cli-run-job-done": (
        "{name}: đã xếp {queued} tin vào hàng đợi; hàng đợi: đã gửi {sent}, gửi lỗi {failed}, "
        "bị chặn {blocked}, còn chờ {pending}"
    ),
}
