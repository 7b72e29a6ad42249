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
        "/status &lt;cơ quan|chương trình&gt; &lt;ngày/tháng/năm&gt; — số liệu của một ngày "
        "đã qua\n"
        "/task &lt;mã&gt; — thông tin chi tiết của một nhiệm vụ; /history &lt;mã&gt; — lịch sử "
        "thay đổi\n"
        "/lagging — 10 cơ quan có nhiều nhiệm vụ quá hạn nhất\n"
        "/agencies — danh sách cơ quan và mã\n"
        "/programs — danh sách chương trình và mã\n"
        "/language vi|en — đổi ngôn ngữ của nhóm\n"
        "Đầu mối: /mytasks (nhiệm vụ của cơ quan mình, bấm để cập nhật); /update &lt;mã&gt; "
        "done [ngày/tháng] | 60% | note &lt;nội dung&gt;; /extend &lt;mã&gt; (xin gia hạn); "
        "/export (xuất nhiệm vụ của cơ quan ra tệp Excel)\n"
        "Quản trị viên: /register [cơ quan|chương trình] (đăng ký nhóm, hoặc nhóm của một cơ "
        "quan, chương trình); gửi tệp .xlsx/.csv kèm chú thích /import; "
        "/agency add [MÃ] Tên đơn vị; /program MÃ Tên chương trình; "
        "/invite &lt;cơ quan&gt; (mời đầu mối); /members [cơ quan]; /revoke, /promote &lt;ID&gt;; "
        "/assign (giao nhiệm vụ mới), /edit &lt;mã&gt; &lt;trường&gt; &lt;giá trị&gt;, "
        "/cancel, /reopen &lt;mã&gt;; /export [cơ quan|chương trình]; /digest (xem trước bản "
        "tổng hợp hằng tuần); /settings (lịch nhắc hạn); /holiday (ngày nghỉ, ngày làm bù); "
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
        "hoàn thành quá hạn, đã hủy (hoặc open, in_progress, done, cancelled)"
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
        "/mytasks — nhiệm vụ chưa hoàn thành của cơ quan; bấm vào một nhiệm vụ để báo hoàn "
        "thành, cập nhật tiến độ, ghi chú, gửi minh chứng\n"
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
    # --- ext: deadline extensions and /history ---
    "extension-question": (
        "<b>Đề nghị gia hạn nhiệm vụ {code}</b>\n{title}\n"
        "Thời hạn hiện tại: <b>{deadline}</b>{late}\n"
        "Vui lòng chọn thời hạn mới đề nghị, hoặc bấm “Ngày khác” để nhập ngày cụ thể."
    ),
    "extension-question-late": " (đã quá hạn {days} ngày; các mốc dưới đây tính từ hôm nay)",
    "extension-button-days": "+{days} ngày: {day}",
    "extension-button-other": "📅 Ngày khác…",
    "extension-button-cancel": "✖ Hủy",
    "extension-cancelled": (
        "Đã hủy đề nghị gia hạn nhiệm vụ <b>{code}</b>; thời hạn không thay đổi."
    ),
    "extension-stale": ("Nhiệm vụ vừa được cập nhật; vui lòng chọn lại theo thời hạn hiện tại."),
    "extension-typing": (
        "Nhiệm vụ <b>{code}</b>: vui lòng trả lời tin nhắn bên dưới với thời hạn mới đề nghị."
    ),
    "extension-chosen": (
        "Đề nghị gia hạn nhiệm vụ <b>{code}</b> đến <b>{day}</b>: vui lòng trả lời tin nhắn "
        "bên dưới với lý do gia hạn."
    ),
    "extension-ask-date": (
        "{who}Vui lòng nhập thời hạn mới đề nghị cho nhiệm vụ <b>{code}</b> theo dạng "
        "ngày/tháng/năm (ví dụ {example}), sau thời hạn hiện tại {deadline}, bằng cách trả "
        "lời tin nhắn này."
    ),
    "extension-ask-reason": (
        "{who}Đề nghị gia hạn nhiệm vụ <b>{code}</b> từ {old} đến <b>{day}</b>. Vui lòng trả "
        "lời tin nhắn này với lý do đề nghị gia hạn (tối đa {limit} ký tự)."
    ),
    "extension-placeholder-date": "ngày/tháng/năm",
    "extension-placeholder-reason": "Lý do đề nghị gia hạn",
    "extension-bad-date": (
        "“{text}” không phải là ngày hợp lệ; vui lòng nhập theo dạng ngày/tháng/năm, "
        "ví dụ {example}."
    ),
    "extension-sent": (
        "✅ Đã gửi đề nghị gia hạn nhiệm vụ <b>{code}</b> từ {old} đến <b>{new}</b> tới "
        "{count} quản trị viên. Anh/chị sẽ nhận được thông báo khi có ý kiến."
    ),
    "extension-sent-nobody": (
        "Đã ghi nhận đề nghị gia hạn nhiệm vụ <b>{code}</b> đến <b>{new}</b>, nhưng chưa gửi "
        "được tới quản trị viên nào (quản trị viên cần mở trò chuyện riêng với bot trước). "
        "Vui lòng báo Văn phòng Ban Chỉ đạo."
    ),
    "extension-notice": (
        "⏳ <b>Đề nghị gia hạn nhiệm vụ</b>\n"
        "Nhiệm vụ: <b>{code}</b> — {title}\n"
        "Cơ quan chủ trì: {agency}\n"
        "Thời hạn hiện tại: {old}\n"
        "Đề nghị gia hạn đến: <b>{new}</b> (thêm {days} ngày)\n"
        "Lý do: {reason}\n"
        "Người đề nghị: {name} (ID <code>{user_id}</code>), lúc {time} ngày {day}"
    ),
    "extension-button-approve": "✅ Duyệt",
    "extension-button-reject": "❌ Từ chối",
    "extension-approved-by": "✅ {name} đã duyệt lúc {time} ngày {day}; thời hạn mới: {new}.",
    "extension-rejected-by": (
        "❌ {name} đã từ chối lúc {time} ngày {day}; thời hạn giữ nguyên: {old}."
    ),
    "extension-late": "Đề nghị này đã được xử lý trước đó. {decision}",
    "extension-answer-approved": (
        "✅ Đề nghị gia hạn nhiệm vụ <b>{code}</b> đã được {name} duyệt: thời hạn mới là "
        "<b>{new}</b> (thời hạn trước đó: {old})."
    ),
    "extension-answer-rejected": (
        "❌ Đề nghị gia hạn nhiệm vụ <b>{code}</b> đến {new} không được {name} chấp thuận; "
        "thời hạn vẫn là <b>{old}</b>."
    ),
    "extension-not-found": "Không tìm thấy nhiệm vụ có mã “{code}”.",
    "extension-not-yours": (
        "Chỉ đầu mối của {agency} và quản trị viên mới đề nghị gia hạn được nhiệm vụ {code}."
    ),
    "extension-routine": (
        "Nhiệm vụ {code} là nhiệm vụ thường xuyên, không có thời hạn để gia hạn."
    ),
    "extension-done": "Nhiệm vụ {code} đã hoàn thành, không cần gia hạn.",
    "extension-pending": (
        "Nhiệm vụ {code} đã có đề nghị gia hạn đến {new} (do {name} gửi ngày {day}) đang chờ "
        "quản trị viên cho ý kiến; mỗi nhiệm vụ chỉ có một đề nghị chờ duyệt."
    ),
    "extension-not-later": (
        "Thời hạn mới phải sau thời hạn hiện tại của nhiệm vụ {code} ({deadline})."
    ),
    "extension-past": (
        "Ngày {new} đã qua; vui lòng chọn thời hạn mới từ hôm nay ({today}) trở đi."
    ),
    "extension-too-far": "Ngày {new} quá xa; vui lòng kiểm tra lại năm.",
    "extension-no-reason": "Vui lòng nêu lý do đề nghị gia hạn.",
    "extension-long-reason": (
        "Lý do quá dài ({length} ký tự, tối đa {limit}); vui lòng viết ngắn gọn hơn."
    ),
    "extension-usage": (
        "Cách dùng: /extend &lt;mã nhiệm vụ&gt; [ngày/tháng/năm lý do…], ví dụ "
        "/extend NQ57-001 31/03/2027 Chờ ý kiến thẩm định của Bộ Tư pháp"
    ),
    "extension-prompt-used": (
        "Câu hỏi này đã được trả lời. Để đề nghị gia hạn lại, vui lòng gửi /extend &lt;mã&gt;."
    ),
    "extension-prompt-expired": (
        "Câu hỏi này đã hết hiệu lực; vui lòng gửi lại /extend &lt;mã&gt;."
    ),
    "mention": '<a href="tg://user?id={user_id}">{name}</a>, ',
    "status-extended": "🗓 Có {count} nhiệm vụ đã được gia hạn thời hạn thực hiện.",
    "history-usage": "Cách dùng: /history &lt;mã nhiệm vụ&gt;, ví dụ /history NQ57-001",
    "history-title": (
        "<b>Lịch sử nhiệm vụ {code}</b> — {title}\n{total} thay đổi, mới nhất trước:"
    ),
    "history-empty": "Nhiệm vụ <b>{code}</b> chưa có thay đổi nào được ghi nhận.",
    "history-head": "\n<b>{time} {day}</b> · {actor} · {source}",
    "history-change": "{field}: {old} → {new}",
    "history-created": "🆕 Tạo nhiệm vụ",
    "history-note": "📝 Ghi chú: {text}",
    "history-evidence": "📎 Minh chứng: {name}",
    "history-extension-request": "⏳ Đề nghị gia hạn: {old} → {new}; lý do: {reason}",
    "history-extension-rejected": "❌ Không duyệt đề nghị gia hạn: {old} → {new}",
    "history-source-chat": "qua Telegram",
    "history-source-import": "nhập tệp",
    "history-source-cli": "dòng lệnh",
    "history-source-job": "tự động",
    "history-empty-value": "(trống)",
    "history-no-actor": "(không rõ)",
    "history-field-code": "Mã nhiệm vụ",
    "history-field-title": "Tên nhiệm vụ",
    "history-field-agency": "Cơ quan chủ trì",
    "history-field-program": "Chương trình",
    "history-field-source": "Văn bản giao nhiệm vụ",
    "history-field-deadline": "Thời hạn",
    "history-field-original_deadline": "Thời hạn ban đầu",
    "history-field-status": "Trạng thái",
    "history-field-completed_on": "Ngày hoàn thành",
    "history-field-progress": "Tiến độ",
    "history-field-notes": "Ghi chú",
    "history-field-coordinating": "Cơ quan phối hợp",
    # --- lead's phone flow: /mytasks, the task card, /update, notes and evidence ---
    "cmd-mytasks": "Nhiệm vụ của cơ quan bạn (đầu mối): cập nhật nhanh",
    "mytasks-title": (
        "<b>Nhiệm vụ chưa hoàn thành của {name}</b> ({code}): {total}\n"
        "⚠️ Quá hạn: {overdue} · ⏳ Trong hạn: {on_schedule} · 🔁 Thường xuyên: {routine}"
    ),
    "mytasks-none": "<b>{name}</b> ({code}) không còn nhiệm vụ nào chưa hoàn thành.",
    "mytasks-line-overdue": (
        "{n}. ⚠️ <code>{code}</code> {title} — hạn {deadline}, <b>quá hạn {days} ngày</b>"
    ),
    "mytasks-line-due": "{n}. ⏳ <code>{code}</code> {title} — hạn {deadline} ({when})",
    "mytasks-line-routine": "{n}. 🔁 <code>{code}</code> {title} — thường xuyên",
    "mytasks-progress": ", tiến độ {progress}%",
    "mytasks-hint": "<i>Bấm vào một nhiệm vụ để báo hoàn thành, cập nhật tiến độ, ghi chú.</i>",
    "mytasks-not-lead": (
        "/mytasks liệt kê nhiệm vụ của cơ quan mà bạn làm đầu mối; tài khoản của bạn chưa là "
        "đầu mối của cơ quan nào. Tra cứu tình hình: /status, /overdue, /task &lt;mã&gt;."
    ),
    "mytasks-admin-usage": (
        "Quản trị viên ghi rõ cơ quan: /mytasks &lt;cơ quan&gt;, ví dụ /mytasks MOF "
        "hoặc /mytasks Bộ Tài chính."
    ),
    "mytasks-own-only": (
        "Bạn là đầu mối của <b>{name}</b> ({code}) nên /mytasks liệt kê nhiệm vụ của cơ quan "
        "mình. Tình hình cơ quan khác: /status &lt;tên&gt;, /overdue &lt;tên&gt;."
    ),
    "card-deadline-left": "{deadline} (còn {days} ngày)",
    "card-deadline-today": "{deadline} (hôm nay là hạn cuối)",
    "card-deadline-extended": "{deadline}; hạn ban đầu {original}",
    "card-notes-head": "\n<b>Ghi chú trao đổi</b> ({count}, mới nhất trước):",
    "card-note-line": "• {day} — {name}: {text}",
    "card-evidence": "📎 Minh chứng: {count} tệp",
    "card-evidence-none": "📎 Minh chứng: chưa có",
    "button-done": "✅ Hoàn thành",
    "button-progress": "📈 Tiến độ",
    "button-note": "📝 Ghi chú",
    "button-evidence": "📎 Minh chứng",
    "button-more-time": "⏳ Xin gia hạn",
    "button-back": "◀ Danh sách",
    "button-send-evidence": "📤 Xem minh chứng ({count})",
    "button-today": "Hôm nay ({day})",
    "button-yesterday": "Hôm qua ({day})",
    "done-ask": ("Xác nhận <b>{code}</b> đã hoàn thành? Chọn ngày hoàn thành (hạn: {deadline}):"),
    "done-saved": "✅ Đã ghi nhận <b>{code}</b> hoàn thành ngày {day}.",
    "progress-ask": (
        "Tiến độ của <b>{code}</b> hiện là {progress}%. Chọn mức mới "
        "(100% chưa phải là hoàn thành: để báo hoàn thành, bấm “Hoàn thành”):"
    ),
    "progress-saved": "📈 Đã cập nhật tiến độ <b>{code}</b>: {progress}%.",
    "progress-unchanged": "Tiến độ của <b>{code}</b> vẫn là {progress}%.",
    "task-changed": (
        "⚠️ Nhiệm vụ <b>{code}</b> vừa được cập nhật (có thể bởi người khác) nên thao tác "
        "của bạn chưa được thực hiện. Dưới đây là thông tin mới nhất; vui lòng kiểm tra rồi "
        "thao tác lại nếu cần."
    ),
    "task-gone": "Không tìm thấy nhiệm vụ của nút này; vui lòng gửi lại lệnh.",
    "task-not-yours": (
        "Bạn không có quyền cập nhật nhiệm vụ {code}: chỉ quản trị viên và đầu mối của cơ "
        "quan chủ trì ({agency}) mới cập nhật được."
    ),
    "task-note-not-yours": (
        "Bạn không có quyền thêm ghi chú, minh chứng cho nhiệm vụ {code}: chỉ quản trị viên "
        "và đầu mối của cơ quan chủ trì ({agency}) hoặc cơ quan phối hợp."
    ),
    "task-already-done": (
        "Nhiệm vụ <b>{code}</b> đã hoàn thành nên không cập nhật tiến độ được nữa."
    ),
    "note-ask": (
        "{who}, vui lòng <b>trả lời (reply) tin nhắn này</b> bằng nội dung ghi chú cho "
        "<b>{code}</b>."
    ),
    "note-placeholder": "Ghi chú cho {code}",
    "note-saved": "📝 Đã lưu ghi chú cho <b>{code}</b>.",
    "note-used": (
        "Ghi chú trả lời lời nhắc này đã được lưu. Để thêm ghi chú khác, bấm “Ghi chú” trên "
        "thẻ nhiệm vụ hoặc gửi /update {code} note &lt;nội dung&gt;."
    ),
    "prompt-expired": (
        "Lời nhắc này đã hết hiệu lực; vui lòng mở lại nhiệm vụ (/task {code}) và bấm lại nút."
    ),
    "note-needs-text": (
        "Vui lòng trả lời bằng nội dung ghi chú (văn bản). Ảnh, tệp minh chứng: bấm "
        "“Minh chứng” trên thẻ nhiệm vụ."
    ),
    "evidence-ask": (
        "{who}, vui lòng gửi ảnh hoặc tệp minh chứng cho <b>{code}</b> bằng cách "
        "<b>trả lời (reply) tin nhắn này</b>, có thể gửi nhiều tệp. Cũng có thể gửi tệp kèm "
        "chú thích có mã {code}."
    ),
    "evidence-placeholder": "Gửi ảnh, tệp cho {code}",
    "evidence-saved": "📎 Đã lưu minh chứng cho <b>{code}</b>: {name}. Tổng số: {count} tệp.",
    "evidence-photo": "ảnh",
    "evidence-duplicate": "Tệp này đã có trong minh chứng của <b>{code}</b>.",
    "evidence-needs-file": (
        "Vui lòng trả lời bằng ảnh hoặc tệp minh chứng. Ghi chú: bấm “Ghi chú” trên thẻ nhiệm vụ."
    ),
    "evidence-hint": (
        "Để lưu ảnh, tệp làm minh chứng, hãy ghi mã nhiệm vụ trong chú thích (ví dụ "
        "NQ57-001), hoặc bấm “Minh chứng” trên thẻ nhiệm vụ (/mytasks, /task &lt;mã&gt;) rồi "
        "trả lời lời nhắc."
    ),
    "evidence-several": (
        "Chú thích có mã của nhiều nhiệm vụ ({codes}); mỗi tệp được lưu cho một nhiệm vụ: "
        "vui lòng gửi lại với một mã."
    ),
    "evidence-caption": "<b>{code}</b> — minh chứng {n}/{total}\n{name}, {day}",
    "evidence-own-caption": "<i>{caption}</i>",
    "evidence-sent": "Đã gửi {shown}/{total} tệp minh chứng của <b>{code}</b>.",
    "evidence-none": "Nhiệm vụ <b>{code}</b> chưa có minh chứng.",
    "evidence-not-yours": (
        "Chỉ quản trị viên và đầu mối của cơ quan chủ trì ({agency}) xem được minh chứng của "
        "{code}."
    ),
    "button-more-evidence": "📤 Gửi tiếp ({count} tệp)",
    "update-usage": (
        "Cách dùng:\n"
        "/update &lt;mã&gt; done [ngày/tháng] — báo hoàn thành (mặc định hôm nay)\n"
        "/update &lt;mã&gt; 60% — cập nhật tiến độ (0 đến 100%)\n"
        "/update &lt;mã&gt; note &lt;nội dung&gt; — thêm ghi chú\n"
        "Ví dụ: /update NQ57-001 done 20/11"
    ),
    "update-unknown-form": "Chưa hiểu “{value}”.",
    "update-bad-date": (
        "“{value}” không phải là ngày hợp lệ; vui lòng ghi ngày/tháng, ví dụ "
        "/update {code} done 20/11."
    ),
    "update-future-date": (
        "Ngày hoàn thành không thể ở tương lai; vui lòng ghi ngày đã hoàn thành (hôm nay "
        "hoặc trước đó)."
    ),
    "update-too-old": "Ngày hoàn thành cách đây hơn một năm; vui lòng kiểm tra lại.",
    "update-bad-progress": ("Tiến độ là số nguyên từ 0 đến 100, ví dụ /update {code} 60%."),
    "update-note-empty": "Vui lòng ghi nội dung ghi chú: /update {code} note &lt;nội dung&gt;.",
    "demo-roles": (
        "Bản demo: /as admin, /as lead MOF, /as viewer, /as stranger để đổi vai; "
        "/photo [chú thích] và /file tên.pdf [chú thích] để giả lập gửi ảnh, tệp."
    ),
    "demo-as-usage": (
        "Cách dùng: /as admin | /as lead &lt;cơ quan&gt; | /as viewer | /as stranger "
        "(chỉ có trong bản demo)."
    ),
    "demo-as-admin": "Bạn đang là quản trị viên (Ban Thư ký).",
    "demo-as-lead": (
        "Bạn đang là đầu mối của <b>{name}</b> ({code}). Thử /mytasks, bấm một nhiệm vụ, "
        "rồi “Hoàn thành”."
    ),
    "demo-as-viewer": "Bạn đang là người xem: chỉ tra cứu được.",
    "demo-as-stranger": "Bạn đang là người dùng chưa được cấp quyền.",
    "demo-photo-usage": "Cách dùng: /photo [chú thích], /file tên_tệp [chú thích].",
    # --- the secretariat: /assign, /edit, /cancel, /reopen; cancelled tasks in reports ---
    "summary-cancelled": "🚫 Đã hủy (không tính vào tổng số): <b>{cancelled}</b> nhiệm vụ",
    "status-cancelled": "Đã hủy",
    "state-cancelled": "Đã hủy (không tính trong các báo cáo)",
    "assign-mark": "🆕 Giao nhiệm vụ mới",
    "assign-ask-agency": (
        "{mark} — bước 1/4: <b>cơ quan chủ trì</b>{who}\n"
        "Bấm một cơ quan dưới đây, hoặc trả lời tin nhắn này bằng tên, mã hoặc tên viết tắt "
        "của cơ quan (ví dụ: Bộ Tài chính, MOF, Hà Nội)."
    ),
    "assign-ask-title": (
        "{mark} — bước 2/4: <b>tên nhiệm vụ</b>{who}\n{so_far}\n"
        "Trả lời tin nhắn này bằng tên nhiệm vụ."
    ),
    "assign-ask-deadline": (
        "{mark} — bước 3/4: <b>thời hạn</b>{who}\n{so_far}\n"
        "Trả lời tin nhắn này bằng ngày phải hoàn thành (dd/mm/yyyy, ví dụ 31/03/2027), "
        "hoặc bấm “Không có thời hạn” nếu là nhiệm vụ thường xuyên."
    ),
    "assign-ask-program": (
        "{mark} — bước 4/4: <b>chương trình</b>{who}\n{so_far}\n"
        "Bấm chương trình mà nhiệm vụ thuộc về, hoặc trả lời tin nhắn này bằng mã chương trình."
    ),
    "assign-ask-confirm": (
        "{mark} — <b>xác nhận</b>{who}\n{so_far}\nMã nhiệm vụ: <b>{code}</b>{auto}\n"
        "Bấm “Xác nhận” để giao nhiệm vụ."
    ),
    "assign-code-auto": " (cấp tự động: số tiếp theo sau các mã {prefix}-…)",
    "assign-who": " — {name}",
    "assign-mention": '<a href="tg://user?id={user_id}">{name}</a>',
    "assign-so-far-agency": "Cơ quan chủ trì: {agency}",
    "assign-so-far-title": "Tên nhiệm vụ: {title}",
    "assign-so-far-deadline": "Thời hạn: {deadline}",
    "assign-so-far-program": "Chương trình: {program}",
    "assign-no-deadline": "không có thời hạn (nhiệm vụ thường xuyên)",
    "assign-no-program": "không thuộc chương trình nào",
    "assign-title-placeholder": "Tên nhiệm vụ",
    "button-no-deadline": "Không có thời hạn",
    "button-no-program": "Không thuộc chương trình nào",
    "assign-chosen": "✔ {choice}",
    "assign-done": "✅ Đã giao nhiệm vụ <b>{code}</b> cho {agency}.",
    "assign-cancelled": "Đã hủy, không giao nhiệm vụ nào.",
    "assign-expired": (
        "Phiên giao nhiệm vụ này đã kết thúc hoặc đã hết hạn; gửi /assign để bắt đầu lại."
    ),
    "assign-used": "Bước này đã được trả lời.",
    "assign-none-waiting": (
        "Anh/chị không có việc giao nhiệm vụ nào đang làm dở; gửi /assign để bắt đầu."
    ),
    "assign-press-confirm": "Vui lòng bấm “Xác nhận” hoặc “Hủy” ở tin nhắn tóm tắt phía trên.",
    "assign-code-taken": (
        "Mã <b>{code}</b> đã được dùng cho nhiệm vụ khác. Vui lòng gửi lại /assign với mã "
        "khác, hoặc bỏ phần #mã để mã được cấp tự động."
    ),
    "assign-choose-agency": (
        "{mark} — “{query}” có thể là một trong các cơ quan sau; vui lòng chọn:"
    ),
    "assign-choose-program": (
        "{mark} — “{query}” có thể là một trong các chương trình sau; vui lòng chọn:"
    ),
    "assign-retry": "{mark} — {error}\nVui lòng trả lời lại tin nhắn này.",
    "assign-usage": (
        "Cách dùng: gửi /assign để được hỏi lần lượt cơ quan chủ trì, tên nhiệm vụ, thời hạn, "
        "chương trình; hoặc ghi trên một dòng:\n"
        "/assign &lt;cơ quan&gt; &lt;thời hạn&gt; [mã chương trình] [#mã nhiệm vụ] "
        "&lt;tên nhiệm vụ&gt;\n"
        "Thời hạn ghi dd/mm/yyyy, hoặc “-” nếu là nhiệm vụ thường xuyên. Ví dụ:\n"
        "/assign MOF 31/03/2027 NQ57 Xây dựng cơ sở dữ liệu chuyên ngành tài chính\n"
        "/assign Bộ Y tế - #BCD-100 Báo cáo định kỳ hằng quý"
    ),
    "assign-too-long": "Nội dung quá dài (tối đa {limit} ký tự).",
    "field-empty": "{field} không được để trống.",
    "field-too-long": "{field} dài quá {limit} ký tự.",
    "field-bad-date": (
        "“{value}” không phải là ngày hợp lệ; vui lòng ghi theo dạng dd/mm/yyyy (ví dụ "
        "31/03/2027), hoặc “-” nếu không có thời hạn."
    ),
    "field-date-range": "Năm của thời hạn phải từ {first} đến {last}.",
    "field-bad-code": (
        "Mã nhiệm vụ không hợp lệ: không được có dấu cách, ký tự điều khiển hoặc ký tự ẩn."
    ),
    "field-which": "“{query}” có thể là: {codes}. Vui lòng ghi rõ mã.",
    "field-not-agency": "“{query}” là chương trình, không phải cơ quan.",
    "field-not-program": "“{query}” là cơ quan, không phải chương trình.",
    "field-unknown-agency": "Không tìm thấy cơ quan “{query}” (danh sách và mã: /agencies).",
    "field-unknown-program": "Không tìm thấy chương trình “{query}” (danh sách và mã: /programs).",
    "field-lead-coordinates": "Cơ quan chủ trì không thể đồng thời là cơ quan phối hợp.",
    "field-no-value": "Vui lòng ghi giá trị mới sau tên trường.",
    "field-name-title": "Tên nhiệm vụ",
    "field-name-deadline": "Thời hạn",
    "field-name-agency": "Cơ quan chủ trì",
    "field-name-program": "Chương trình",
    "field-name-source": "Văn bản giao nhiệm vụ",
    "field-name-coordinators": "Cơ quan phối hợp",
    "field-name-code": "Mã nhiệm vụ",
    "edit-usage": (
        "Cách dùng: /edit &lt;mã nhiệm vụ&gt; &lt;trường&gt; &lt;giá trị mới&gt;\n"
        "Trường: tên (title), hạn (deadline), cơ quan (agency), chương trình (program), văn "
        "bản (source), phối hợp (coordinators). Ghi “-” để bỏ thời hạn, chương trình, văn bản "
        "hoặc cơ quan phối hợp. Ví dụ:\n"
        "/edit NQ57-0042 hạn 30/06/2027\n/edit NQ57-0042 phối hợp MOH; Hà Nội"
    ),
    "edit-done": "Đã sửa {field} của nhiệm vụ <b>{code}</b>.",
    "edit-unchanged": "{field} của nhiệm vụ <b>{code}</b> đã đúng như vậy; không có gì thay đổi.",
    "cancel-usage": (
        "Cách dùng: /cancel &lt;mã nhiệm vụ&gt; — hủy nhiệm vụ (có bước xác nhận); nhiệm vụ "
        "đã hủy không còn được tính trong các báo cáo. /reopen &lt;mã&gt; để khôi phục."
    ),
    "reopen-usage": (
        "Cách dùng: /reopen &lt;mã nhiệm vụ&gt; — khôi phục nhiệm vụ đã hủy, hoặc mở lại "
        "nhiệm vụ đã hoàn thành (có bước xác nhận)."
    ),
    "cancel-ask": (
        "<b>Hủy nhiệm vụ {code}?</b> Nhiệm vụ đã hủy không còn được tính trong /status, "
        "/overdue, /due, /lagging; gửi /reopen {code} để khôi phục."
    ),
    "reopen-ask": "<b>Khôi phục nhiệm vụ {code}?</b> Trạng thái sau khi khôi phục: {status}.",
    "reopen-ask-done": (
        "<b>Mở lại nhiệm vụ {code}?</b> Nhiệm vụ sẽ chuyển về “Đang thực hiện” và bỏ ngày "
        "hoàn thành."
    ),
    "button-cancel-task": "🚫 Hủy nhiệm vụ",
    "button-reopen-task": "↩ Khôi phục",
    "button-keep-task": "Giữ nguyên",
    "cancel-done": (
        "Đã hủy nhiệm vụ <b>{code}</b>; nhiệm vụ không còn được tính trong các báo cáo. "
        "Gửi /reopen {code} để khôi phục."
    ),
    "reopen-done": "Đã khôi phục nhiệm vụ <b>{code}</b>.",
    "task-kept": "Giữ nguyên nhiệm vụ <b>{code}</b>, không thay đổi gì.",
    "cancel-already": "Nhiệm vụ {code} đã được hủy trước đó.",
    "reopen-already-open": "Nhiệm vụ {code} chưa bị hủy, cũng chưa hoàn thành: không cần mở lại.",
    "task-changed-meanwhile": (
        "Nhiệm vụ {code} vừa được thay đổi trong lúc chờ xác nhận. Thông tin hiện tại ở dưới; "
        "vui lòng xác nhận lại."
    ),
    "task-cancelled-locked": (
        "Nhiệm vụ {code} đã bị hủy nên không cập nhật được; quản trị viên gửi /reopen {code} "
        "để khôi phục trước."
    ),
    "assign-abandoned": "Đã dừng việc giao nhiệm vụ đang làm dở.",
    # --- imports meet chat updates ---
    "import-column-title": "tên nhiệm vụ",
    "import-column-agency": "cơ quan chủ trì",
    "import-chat-updates-would": (
        "<b>Tệp sẽ xóa bỏ {count} cập nhật trên Telegram</b> được thực hiện sau lần nhập "
        "trước (nhiệm vụ: nội dung, giá trị trên Telegram → giá trị trong tệp):"
    ),
    "import-chat-updates-kept": (
        "<b>Đã giữ nguyên {count} cập nhật trên Telegram</b>; giá trị tương ứng trong tệp "
        "không được ghi:"
    ),
    "import-chat-updates-undone": (
        "<b>Đã xóa bỏ {count} cập nhật trên Telegram</b>; giá trị trong tệp đã được ghi thay "
        "(lịch sử của từng nhiệm vụ ghi lại cả hai giá trị):"
    ),
    "import-chat-update-line": "• {code}: {field} {chat} → {file}",
    "import-chat-updates-more": "… và {count} cập nhật khác.",
    "import-chat-value-empty": "(trống)",
    "import-chat-updates-cli-keep": (
        "Các cập nhật này được giữ nguyên; muốn ghi giá trị trong tệp thay cho chúng, hãy "
        "nhập với tùy chọn --overwrite-chat-updates."
    ),
    "import-chat-updates-cli-overwrite": (
        "Với tùy chọn --overwrite-chat-updates, giá trị trong tệp sẽ được ghi thay cho các "
        "cập nhật này."
    ),
    "import-chat-updates-choose": (
        "Nhập và giữ nguyên các cập nhật này (các nội dung khác trong tệp vẫn được ghi), "
        "hay nhập và xóa bỏ chúng?"
    ),
    "import-chat-updates-ask": (
        "<b>Xóa bỏ {count} cập nhật trên Telegram?</b> Giá trị trong tệp <b>{name}</b> sẽ "
        "được ghi thay cho nội dung đã cập nhật trên Telegram:"
    ),
    "import-chat-updates-ask-hint": (
        "Sau khi xóa bỏ, chỉ có thể khôi phục bằng một lần cập nhật khác. Muốn nhập mà không "
        "xóa bỏ các cập nhật này, hãy chọn Giữ nguyên."
    ),
    "button-import-keep": "✅ Nhập, giữ nguyên cập nhật trên Telegram",
    "button-import-undo": "⚠️ Nhập, xóa bỏ cập nhật trên Telegram",
    "button-import-undo-sure": "⚠️ Xóa bỏ {count} cập nhật và nhập",
    "button-import-keep-short": "✅ Giữ nguyên và nhập",
    # --- export: the register as an Excel file (issue 11) ---
    "export-preparing": "Đang chuẩn bị tệp Excel ({count} nhiệm vụ)…",
    "export-caption": (
        "📊 <b>Sổ theo dõi nhiệm vụ — {scope}</b>, tính đến ngày {today}\n"
        "{tasks} nhiệm vụ; đã hoàn thành {completed} ({completed_pct}%), "
        "quá hạn {overdue}.\n"
        "Trang “{summary_sheet}”: tổng hợp theo cơ quan; “{overdue_sheet}”: danh sách quá hạn; "
        "“{tasks_sheet}”: toàn bộ nhiệm vụ — sửa trên trang này rồi gửi lại tệp kèm chú thích "
        "/import để cập nhật."
    ),
    "export-own-agency-only": (
        "Đầu mối chỉ xuất được sổ theo dõi nhiệm vụ của cơ quan mình: /export {code}."
    ),
    "export-no-agency": (
        "Tài khoản của anh/chị chưa gắn với cơ quan nào nên chưa xuất được sổ theo dõi nhiệm vụ."
    ),
    "export-too-big": (
        "Tệp Excel nặng {size} MB, vượt giới hạn {limit} MB mà Telegram cho phép gửi. Vui lòng "
        "xuất theo từng cơ quan, chương trình (/export MOF) hoặc dùng lệnh dondoc export."
    ),
    "export-everyone": "toàn Ban Chỉ đạo",
    "export-agency-in-program": "{agency} — {program}",
    "export-sheet-summary": "Tổng hợp",
    "export-sheet-overdue": "Quá hạn",
    "export-sheet-tasks": "Nhiệm vụ",
    "export-summary-title": "Tổng hợp tình hình thực hiện nhiệm vụ — {scope}",
    "export-as-of": "Tính đến ngày {today}",
    "export-overdue-title": "Nhiệm vụ quá hạn, chưa hoàn thành — {scope}",
    "export-head-number": "STT",
    "export-head-code": "Mã",
    "export-head-agency": "Cơ quan",
    "export-head-total": "Tổng số",
    "export-head-done-on-time": "Hoàn thành đúng hạn",
    "export-head-done-late": "Hoàn thành quá hạn",
    "export-head-on-schedule": "Đang thực hiện trong hạn",
    "export-head-overdue": "Quá hạn",
    "export-head-routine": "Thường xuyên",
    "export-head-completed": "Đã hoàn thành",
    "export-head-rate": "Tỷ lệ hoàn thành",
    "export-head-overdue-task": "Nhiệm vụ quá hạn",
    "export-head-lead": "Cơ quan chủ trì",
    "export-head-deadline": "Thời hạn",
    "export-head-days-late": "Số ngày quá hạn",
    "export-head-progress": "Tiến độ (%)",
    "export-head-program": "Chương trình",
    "export-all-agencies": "Tổng cộng",
    # The task sheet's headers: the importer reads each of them back as its column.
    "export-col-code": "Mã nhiệm vụ",
    "export-col-title": "Tên nhiệm vụ",
    "export-col-agency": "Cơ quan chủ trì",
    "export-col-coordinating": "Cơ quan phối hợp",
    "export-col-deadline": "Thời hạn",
    "export-col-status": "Trạng thái",
    "export-col-completed_on": "Ngày hoàn thành",
    "export-col-progress": "Tiến độ (%)",
    "export-col-program": "Chương trình",
    "export-col-program_code": "Mã chương trình",
    "export-col-source": "Văn bản giao",
    "export-col-notes": "Ghi chú",
    "export-status-open": "chưa thực hiện",
    "export-status-in_progress": "đang thực hiện",
    "export-status-done": "hoàn thành",
    "export-status-cancelled": "đã hủy",
    "cli-export-done": "Đã xuất {tasks} nhiệm vụ ({overdue} quá hạn) ra tệp {path}",
    "cli-export-not-xlsx": "dondoc export ghi tệp .xlsx: “{path}” không có đuôi .xlsx",
    "cli-export-cannot-write": "dondoc: không ghi được tệp {path} ({reason}).",
    "cli-export-not-a": "“{query}” không phải là {kind}.",
    "cli-kind-agency": "cơ quan",
    "cli-kind-program": "chương trình",
    # --- deadline nudges, /settings and /holiday (services/nudges.py, handlers/nudges.py) ---
    "nudge-title": "🔔 <b>Nhắc việc ngày {day}</b> — {agency}: {count} nhiệm vụ cần lưu ý",
    "nudge-line-overdue": "⚠️ <b>{code}</b> {title} — hạn {deadline}, đã quá hạn {days} ngày",
    "nudge-line-today": "⏰ <b>{code}</b> {title} — đến hạn hôm nay ({deadline})",
    "nudge-line-ahead": "📅 <b>{code}</b> {title} — hạn {deadline}, còn {days} ngày",
    "nudge-more": "… và {count} nhiệm vụ khác (xem /overdue, /due).",
    "nudge-hint": ("Bấm mã nhiệm vụ để xem và cập nhật; bấm 💤 để tạm hoãn nhắc nhiệm vụ đó."),
    "nudge-mention": '<a href="tg://user?id={user_id}">{name}</a>',
    "nudge-button-mute": "🔕 Tạm dừng nhắc việc",
    "group-nudge-title": "📣 <b>Nhắc việc ngày {day}</b> — {agency}",
    "group-nudge-blocked": (
        "{leads} chưa nhận được lời nhắc riêng (chưa mở trò chuyện với bot hoặc đã chặn "
        "bot). Các nhiệm vụ cần lưu ý ({count}):"
    ),
    "group-nudge-blocked-hint": (
        "Để nhận lời nhắc riêng, vui lòng mở trò chuyện với bot và bấm Bắt đầu (Start)."
    ),
    "escalation-title": (
        "⚠️ <b>Nhiệm vụ quá hạn đã nhắc {after} lần mà chưa hoàn thành</b> ({count}):"
    ),
    "escalation-line": (
        "• <b>{code}</b> {title} — hạn {deadline}, quá hạn {days} ngày (báo cáo lần {number})"
    ),
    "summary-nudge-title": "📋 <b>Tổng hợp nhắc việc ngày {day}</b>",
    "summary-escalations": (
        "⚠️ <b>Quá hạn sau {after} lần nhắc</b>: {count} nhiệm vụ của {agencies} cơ quan"
    ),
    "summary-unreached": (
        "👤 <b>Cơ quan chưa có đầu mối nhận nhắc việc</b>: {agencies} cơ quan, {count} nhiệm "
        "vụ đến lượt nhắc (mời đầu mối: /invite &lt;cơ quan&gt;)"
    ),
    "summary-agency": "<b>{agency}</b> ({count}):",
    "summary-more": "… và {count} dòng khác.",
    "lead-blocked": (
        "🚫 Đầu mối {name} (ID <code>{user_id}</code>) của {agency} chưa mở trò chuyện riêng "
        "với bot hoặc đã chặn bot, nên không nhận được lời nhắc việc. {where}"
    ),
    "lead-blocked-group": "Lời nhắc của cơ quan được gửi kèm vào nhóm của cơ quan.",
    "lead-blocked-no-group": (
        "Cơ quan chưa có nhóm đã đăng ký nên nhiệm vụ của cơ quan được đưa vào bản tổng hợp "
        "nhắc việc gửi quản trị viên."
    ),
    "snooze-ask": "Tạm hoãn nhắc nhiệm vụ <b>{code}</b> trong bao lâu?",
    "snooze-button-1": "1 ngày làm việc",
    "snooze-button-3": "3 ngày làm việc",
    "snooze-button-d": "Đến ngày hạn",
    "snooze-done": "💤 Đã tạm hoãn nhắc nhiệm vụ <b>{code}</b> đến hết ngày {day}.",
    "snooze-gone": "Nhiệm vụ này đã hoàn thành hoặc không còn trong danh mục.",
    "snooze-not-useful": (
        "Nhiệm vụ sắp đến hạn nên không hoãn đến ngày hạn được; vui lòng chọn 1 ngày."
    ),
    "snooze-not-yours": "Chỉ đầu mối của cơ quan chủ trì nhiệm vụ mới tạm hoãn được lời nhắc.",
    "mute-ask": "Tạm dừng mọi lời nhắc việc gửi cho anh/chị trong bao lâu?",
    "mute-ask-muted": (
        "Lời nhắc việc của anh/chị đang tạm dừng đến hết ngày {day}. Đổi thời gian tạm dừng?"
    ),
    "mute-button-7": "1 tuần",
    "mute-button-14": "2 tuần",
    "mute-button-30": "30 ngày",
    "mute-button-0": "🔔 Nhận lại lời nhắc",
    "mute-done": (
        "🔕 Đã tạm dừng lời nhắc việc đến hết ngày {day}. Nhiệm vụ quá hạn lâu vẫn được báo "
        "cáo quản trị viên."
    ),
    "mute-off": "🔔 Anh/chị sẽ nhận lời nhắc việc từ buổi sáng ngày làm việc tới.",
    "settings-show": (
        "⚙️ <b>Lịch nhắc việc</b>{paused}\n"
        "• Nhắc trước hạn: {reminders}\n"
        "• Khi quá hạn: nhắc lại sau mỗi {every} ngày làm việc\n"
        "• Sau {after} lần nhắc quá hạn: báo cáo nhóm của cơ quan và quản trị viên\n"
        "• Gửi lúc {time}, chỉ vào ngày làm việc; không gửi từ {quiet_from} đến {quiet_until}\n"
        "Đổi bằng lệnh, ví dụ <code>/settings remind 7,3,1,0 overdue 3 escalate 2 time 08:30 "
        "quiet 20:00-07:00</code> (0 là ngày đến hạn), <code>/settings pause</code>, "
        "<code>resume</code>, <code>reset</code> (về mặc định). Ngày nghỉ, ngày làm bù: /holiday"
    ),
    "settings-paused": " — <b>đang tạm dừng</b>",
    "settings-reminders": "{days} ngày làm việc",
    "settings-on-due": "vào ngày đến hạn",
    "settings-no-reminders": "không nhắc",
    "settings-saved": "✅ Đã lưu.",
    "settings-usage": (
        "Không hiểu lệnh. Ví dụ: <code>/settings remind 7,3,1,0</code>, "
        "<code>/settings overdue 3</code>, <code>/settings escalate 2</code>, "
        "<code>/settings time 08:30</code>, <code>/settings quiet 20:00-07:00</code>, "
        "<code>/settings pause</code>, <code>resume</code>, <code>reset</code>."
    ),
    "settings-bad-remind": (
        "Số ngày nhắc trước hạn ghi cách nhau bởi dấu phẩy, mỗi số từ 0 đến 30, tối đa 6 số "
        "(ví dụ 7,3,1,0; 0 là ngày đến hạn)."
    ),
    "settings-bad-overdue": "Số ngày giữa hai lần nhắc quá hạn phải từ 1 đến 30.",
    "settings-bad-escalate": "Số lần nhắc quá hạn trước khi báo cáo phải từ 0 đến 10.",
    "settings-bad-time": "Giờ gửi ghi theo dạng 08:30.",
    "settings-bad-quiet": (
        "Giờ không gửi ghi theo dạng 20:00-07:00, giờ bắt đầu khác giờ kết thúc."
    ),
    "settings-time-in-quiet": "Giờ gửi không được nằm trong khoảng giờ không gửi.",
    "settings-button-pause": "⏸ Tạm dừng nhắc việc",
    "settings-button-resume": "▶️ Tiếp tục nhắc việc",
    "settings-button-time": "⏰ {time}",
    "settings-button-reset": "↺ Mặc định",
    "holiday-title": "📅 <b>Ngày nghỉ từ {start} đến {end}</b> (ngoài thứ Bảy, Chủ nhật):",
    "holiday-line": "• {day} ({weekday}) — {name}",
    "holiday-none": "• không có",
    "holiday-by-admin": "do quản trị viên thêm",
    "holiday-worked-title": "<b>Thứ Bảy, Chủ nhật làm việc bù</b>:",
    "holiday-worked-line": "• {day} ({weekday}){by_admin}",
    "holiday-worked-by-admin": " — do quản trị viên thêm",
    "holiday-usage": (
        "Thêm ngày nghỉ: <code>/holiday add 2027-02-12</code> (hoặc 12/02/2027). Bỏ ngày "
        "nghỉ, hoặc thêm thứ Bảy làm việc bù: <code>/holiday remove 2027-02-13</code>."
    ),
    "holiday-added": (
        "Đã thêm ngày nghỉ {day} ({weekday}): không gửi nhắc việc; hạn vào ngày này được nhắc "
        "như đến hạn vào ngày làm việc liền trước."
    ),
    "holiday-removed": "{day} ({weekday}) là ngày làm việc: có gửi nhắc việc.",
    "holiday-unchanged-off": "{day} ({weekday}) đã là ngày nghỉ.",
    "holiday-unchanged-on": "{day} ({weekday}) đã là ngày làm việc.",
    "holiday-bad-day": "Không hiểu ngày “{text}”. Ghi theo dạng 2027-02-12 hoặc 12/02/2027.",
    "weekday-0": "Thứ Hai",
    "weekday-1": "Thứ Ba",
    "weekday-2": "Thứ Tư",
    "weekday-3": "Thứ Năm",
    "weekday-4": "Thứ Sáu",
    "weekday-5": "Thứ Bảy",
    "weekday-6": "Chủ nhật",
    # --- daily snapshots: /status <scope> <dd/mm/yyyy> (issue 11) ---
    "status-snapshot-taken": "<i>Số liệu lưu lúc {time} ngày {taken}.</i>",
    "status-snapshot-earlier": (
        "Không có số liệu lưu cho ngày {day}; dưới đây là số liệu gần nhất trước đó, ngày {found}."
    ),
    "status-snapshot-none": (
        "Không có số liệu lưu cho ngày {day} hoặc trước đó; số liệu được lưu hằng ngày từ "
        "ngày {first}."
    ),
    "status-snapshot-never": (
        "Chưa có số liệu lưu theo ngày: số liệu của mỗi ngày được lưu sau nửa đêm ngày đó."
    ),
    "status-snapshot-lists": (
        "<i>Danh sách nhiệm vụ không được lưu theo ngày; danh sách hiện tại: /overdue {code}</i>"
    ),
    "status-future-day": "Ngày {day} chưa đến; gõ /status để xem số liệu hiện tại.",
    "status-bad-day": "Ngày không hợp lệ: {text} (ghi theo dạng dd/mm/yyyy, ví dụ 20/11/2026).",
    # --- the weekly digest (issue 11) ---
    "digest-title": "📊 <b>Bản tin tuần {week}/{year}</b> — {scope}",
    "digest-scope-committee": "toàn Ban Chỉ đạo",
    "digest-scope-agency": "{name} ({code})",
    "digest-scope-program": "{program}",
    "digest-figures-day": "Số liệu tính đến hết ngày {day}",
    "digest-late": (
        "⏰ <i>Bản tin gửi muộn; theo lịch, bản tin được gửi lúc {time} ngày {day}.</i>"
    ),
    "digest-change": (
        "📈 <b>So với ngày {day}</b>: hoàn thành {completed} nhiệm vụ, quá hạn {overdue} "
        "nhiệm vụ, tỷ lệ hoàn thành {completion} điểm phần trăm."
    ),
    "digest-change-none": "📈 <i>Chưa có số liệu lưu ngày {day} để so sánh với tuần trước.</i>",
    "digest-up": "+{n}",
    "digest-down": "-{n}",
    "digest-same": "±0",
    "digest-lagging-head": (
        "\n<b>Cơ quan có nhiều nhiệm vụ quá hạn nhất</b> ({shown}/{total} cơ quan có nhiệm vụ "
        "quá hạn; xếp như /lagging):"
    ),
    "digest-lagging-line": (
        "{rank}. <b>{code}</b> {name}: {overdue} quá hạn; hoàn thành {completed}/{total} "
        "({completion}%)"
    ),
    "digest-lagging-line-change": (
        "{rank}. <b>{code}</b> {name}: {overdue} quá hạn ({overdue_change}); hoàn thành "
        "{completed}/{total} ({completion}%, {completion_change} điểm)"
    ),
    "digest-lagging-none": "\n✅ Không có cơ quan nào có nhiệm vụ quá hạn.",
    "digest-best-head": (
        "\n<b>Cơ quan đạt tỷ lệ hoàn thành từ {threshold}% trở lên</b> ({shown}/{total} cơ quan):"
    ),
    "digest-best-line": "• <b>{code}</b> {name}: {completion}% ({completed}/{total} nhiệm vụ)",
    "digest-best-none": "\nChưa có cơ quan nào đạt tỷ lệ hoàn thành từ {threshold}% trở lên.",
    "digest-due-head": "\n<b>Đến hạn trong tuần</b> (từ {start} đến {end}): {total} nhiệm vụ",
    "digest-due-more": "… và {count} nhiệm vụ khác: /due {days}",
    "digest-due-none": "\nKhông có nhiệm vụ nào đến hạn trong tuần (từ {start} đến {end}).",
    "digest-leaderless": (
        "\n👤 <b>Chưa có đầu mối</b> ({count} cơ quan có nhiệm vụ đang thực hiện): {codes}. "
        "Mời đầu mối: /invite &lt;cơ quan&gt;"
    ),
    "digest-blocked": (
        "\n🚫 <b>Đầu mối không nhận được lời nhắc</b> ({count} cơ quan có nhiệm vụ đang thực "
        "hiện mà đầu mối chưa mở trò chuyện riêng với bot hoặc đã chặn bot): {codes}. Đầu mối "
        "vui lòng mở trò chuyện với bot và bấm Bắt đầu (Start)."
    ),
    "digest-more-codes": "{codes} và {count} cơ quan khác",
    "digest-caption": (
        "📊 <b>Bản tin tuần {week}/{year}</b> — {scope}\n"
        "Số nhiệm vụ theo tình trạng của {count} cơ quan có nhiều nhiệm vụ quá hạn nhất, "
        "tính đến hết ngày {day}."
    ),
    "digest-caption-agency": (
        "📊 <b>Bản tin tuần {week}/{year}</b> — {scope}\n"
        "Số nhiệm vụ theo tình trạng, ngày {before} và ngày {day}."
    ),
    "chart-title": "Cơ quan có nhiều nhiệm vụ quá hạn nhất — tuần {week}/{year}",
    "chart-title-agency": "{name} — tuần {week}/{year}",
    "chart-axis": "Số nhiệm vụ",
    "chart-done_on_time": "Hoàn thành đúng hạn",
    "chart-done_late": "Hoàn thành quá hạn",
    "chart-on_schedule": "Đang thực hiện trong hạn",
    "chart-overdue": "Quá hạn",
    "chart-note": "{overdue} quá hạn · hoàn thành {completion}%",
    "chart-routine": "Thường xuyên",
    "digest-preview-note": (
        "<i>Xem trước: bản tin chỉ hiện ở đây, không được ghi nhận là đã gửi.</i>"
    ),
    "digest-schedule": (
        "🗓 Bản tin tự động của nhóm: {day} hằng tuần lúc {time} (gặp ngày nghỉ thì gửi vào "
        "ngày làm việc kế tiếp). Đổi lịch: /digest t3 09:00; tắt: /digest off"
    ),
    "digest-schedule-off": "🗓 Bản tin tự động của nhóm đang tắt; bật lại: /digest on",
    "digest-schedule-private": (
        "🗓 Bản tin tự động gửi vào các nhóm đã đăng ký; lịch gửi đặt trong từng nhóm, "
        "ví dụ /digest t2 08:00."
    ),
    "digest-set": "Đã đặt lịch bản tin tự động của nhóm: {day} hằng tuần lúc {time}.",
    "digest-turned-off": "Đã tắt bản tin tự động của nhóm; bật lại: /digest on",
    "digest-usage": (
        "Cách dùng: /digest (xem trước bản tin); /digest t2 08:00 (thứ Hai đến thứ Sáu: t2 đến "
        "t6, giờ:phút); /digest off (tắt); /digest on (bật lại, thứ Hai lúc 08:00)."
    ),
    "digest-group-only": "Lịch bản tin tự động chỉ đặt được trong nhóm công tác đã đăng ký.",
    "digest-weekday-1": "thứ Hai",
    "digest-weekday-2": "thứ Ba",
    "digest-weekday-3": "thứ Tư",
    "digest-weekday-4": "thứ Năm",
    "digest-weekday-5": "thứ Sáu",
    # Running more than one process (bot/serve.py, jobs/leader.py).
    "startup-poll-conflict": (
        "không nhận được cập nhật: một tiến trình khác đang nhận cập nhật của bot này "
        "(Telegram trả lời 409 Conflict); chỉ chạy một tiến trình nhận cập nhật, hoặc chạy "
        "nhiều tiến trình bằng `dondoc run --webhook`"
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
