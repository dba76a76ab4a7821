// Words of the screens, Vietnamese first (the official forms' terms, /work/shared/domain.md)
// and English; numbers and dates in the Vietnamese formats whatever the language.
export const LANGUAGES = ["vi", "en"];

const WORDS = {
  vi: {
    title: "Hòa giải ở cơ sở",
    login: "Đăng nhập", logout: "Đăng xuất", username: "Tên đăng nhập", password: "Mật khẩu",
    loginFailed: "Tên đăng nhập hoặc mật khẩu không đúng.",
    sessionExpired: "Phiên làm việc đã hết hạn, vui lòng đăng nhập lại.",
    error: "Không tải được dữ liệu.", loading: "Đang tải…",
    figuresBuilding: "Số liệu đang được tổng hợp, các con số dưới đây chưa đầy đủ",
    pendingEvents: "sự kiện còn chờ xử lý",
    language: "English", languageLabel: "Switch to English",
    dashboard: "Tỷ lệ hòa giải thành", year: "Năm", layout: "Địa giới",
    V2025: "Từ 01/7/2025 (hai cấp)", LEGACY: "Đến 30/6/2025 (ba cấp)",
    unit: "Đơn vị", received: "Tiếp nhận", successful: "Hòa giải thành",
    unsuccessful: "Hòa giải không thành", inProgress: "Đang giải quyết",
    rate: "Tỷ lệ hòa giải thành", target: "Chỉ tiêu", meets: "Đạt chỉ tiêu",
    yes: "Đạt", no: "Chưa đạt", none: "—", total: "Toàn đơn vị",
    chart: "Tỷ lệ hòa giải thành của từng đơn vị so với chỉ tiêu",
    sortBy: "Sắp xếp theo", signedInAs: "Người dùng",
    screens: "Màn hình", intake: "Tiếp nhận vụ việc", team: "Tổ hòa giải",
    category: "Loại vụ việc", subject: "Nội dung vụ việc (một dòng)", description: "Mô tả",
    party: "Bên", fullName: "Họ và tên", address: "Địa chỉ", addParty: "Thêm một bên",
    submit: "Tiếp nhận", received_ok: "Đã tiếp nhận vụ việc", intakeAgain: "Tiếp nhận vụ việc khác",
    categories: {
      CONFLICT: "Mâu thuẫn giữa các bên",
      CIVIL_FAMILY: "Tranh chấp dân sự, hôn nhân và gia đình", OTHER: "Khác",
    },
    status: { RECEIVED: "tiếp nhận", ASSIGNED: "đã phân công", IN_MEDIATION: "đang hòa giải" },
    channel: "Hình thức tiếp nhận", receivedOn: "Ngày tiếp nhận",
    channels: {
      IN_PERSON: "Trực tiếp", PHONE: "Qua điện thoại", REFERRAL: "Cơ quan, tổ chức chuyển đến",
      MEDIATOR_NOTICED: "Hòa giải viên tự phát hiện", ONLINE: "Trực tuyến", OTHER: "Khác",
    },
    relatedMediators: "Hòa giải viên có quan hệ với bên này (không được hòa giải vụ việc)",
    screenOverride: "Cán bộ đã kiểm tra: vụ việc thuộc phạm vi hòa giải",
    refusals: {
      CRIME: "Vụ việc có dấu hiệu tội phạm: không được hòa giải (Nghị định 15/2014, Điều 5).",
      ADMINISTRATIVE_VIOLATION: "Hành vi vi phạm hành chính: không được hòa giải (Nghị định 15/2014, Điều 5).",
      AGAINST_LAW_OR_MORALITY: "Thỏa thuận trái pháp luật, đạo đức xã hội: không được hòa giải.",
      OTHER_EXCLUDED: "Vụ việc thuộc trường hợp không được hòa giải (Nghị định 15/2014, Điều 5).",
      // the registry's rules (Luật Hòa giải ở cơ sở, Điều 8, 12; Kế hoạch 73 về thí điểm)
      TEAM_DISSOLVED: "Tổ hòa giải này đã giải thể: không thể thay đổi.",
      NOT_A_COMMUNE: "Tổ hòa giải được thành lập ở cấp xã; đơn vị này không phải là xã, phường.",
      NOT_A_SUCCESSOR_COMMUNE: "Xã, phường này không phải là đơn vị tiếp nhận địa bàn của tổ hòa giải sau sắp xếp năm 2025.",
      BEFORE_TEAM_FORMED: "Ngày này không được trước ngày thành lập tổ hòa giải.",
      BEFORE_ELECTION: "Ngày này không được trước ngày bầu hòa giải viên.",
      ELECTION_SHARE_TOO_LOW: "Hòa giải viên phải được quá nửa tổng số đại diện hộ gia đình đồng ý (Điều 8 Luật Hòa giải ở cơ sở).",
      ALREADY_A_MEDIATOR: "Người này đã là hòa giải viên của tổ hòa giải.",
      DECISION_BEFORE_ELECTION: "Ngày quyết định công nhận không được trước ngày bầu hòa giải viên.",
      NOT_AWAITING_RECOGNITION: "Hòa giải viên này đã được công nhận hoặc đã thôi làm hòa giải viên.",
      MEDIATOR_LEFT: "Người này đã thôi làm hòa giải viên.",
      LEADER_NOT_A_MEMBER: "Tổ trưởng tổ hòa giải phải là hòa giải viên của tổ (Điều 12 Luật Hòa giải ở cơ sở).",
      LEADS_ANOTHER_TEAM: "Người này đang là tổ trưởng của một tổ hòa giải khác.",
      NOT_A_MEMBER: "Hòa giải viên này không thuộc tổ hòa giải.",
      PERIOD_ENDS_BEFORE_START: "Thời gian kết thúc không được trước thời gian bắt đầu.",
      ALREADY_A_PILOT_COMMUNE: "Xã này đã được chọn làm xã thí điểm.",
      NOT_A_PILOT_COMMUNE: "Xã của tổ hòa giải này không phải là xã thí điểm.",
      ALREADY_A_MODEL_TEAM: "Tổ hòa giải này đã được chọn xây dựng tổ hòa giải điển hình tiên tiến.",
      MODEL_TEAMS_FULL: "Mỗi xã thí điểm chỉ chọn 2 tổ hòa giải điển hình tiên tiến.",
    },
    errorCodes: {
      BAD_USER_INPUT: "Thông tin chưa hợp lệ, vui lòng kiểm tra lại.",
      CONFLICT: "Không thực hiện được: trái với dữ liệu hiện có, vui lòng tải lại trang.",
      NOT_FOUND: "Không tìm thấy dữ liệu này.",
      FORBIDDEN: "Bạn không có quyền thực hiện việc này.",
    },
    // an error's words by the field the API names (without "input.") and its code
    fieldErrors: {
      idempotencyKey: { CONFLICT: "Mã phiếu này đã dùng cho một vụ việc khác." },
      teamId: { NOT_FOUND: "Không tìm thấy tổ hòa giải đang hoạt động." },
      mediatorIds: {
        CONFLICT: "Hòa giải viên này là một bên hoặc có quan hệ với một bên của vụ việc: không được phân công hòa giải (Điều 18 Luật Hòa giải ở cơ sở).",
        NOT_FOUND: "Không tìm thấy hòa giải viên này.",
        BAD_USER_INPUT: "Hòa giải viên này không thuộc tổ hòa giải của vụ việc.",
      },
      status: { CONFLICT: "Trạng thái vụ việc không cho phép việc này (có thể vừa thay đổi): vui lòng tải lại trang." },
      caseId: { CONFLICT: "Việc này đã được ghi nhận cho vụ việc." },
    },
    dateHint: "Ngày/tháng/năm, ví dụ 05/07/2025; phím mũi tên lên, xuống để đổi ngày.",
    dateInvalid: "Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 05/07/2025.",
    dateMissing: "Vui lòng nhập ngày theo dạng ngày/tháng/năm.",
    dateAfterMax: "Ngày không được sau {date}.",
  },
  en: {
    title: "Grassroots mediation",
    login: "Log in", logout: "Log out", username: "Username", password: "Password",
    loginFailed: "Wrong username or password.",
    sessionExpired: "Your session has expired; please log in again.",
    error: "Could not load the figures.", loading: "Loading…",
    figuresBuilding: "The figures are still being built; those below are not complete",
    pendingEvents: "events waiting",
    language: "Tiếng Việt", languageLabel: "Chuyển sang tiếng Việt",
    dashboard: "Mediation success rate", year: "Year", layout: "Layout",
    V2025: "From 1/7/2025 (two tiers)", LEGACY: "Until 30/6/2025 (three tiers)",
    unit: "Unit", received: "Received", successful: "Successful",
    unsuccessful: "Unsuccessful", inProgress: "In progress",
    rate: "Success rate", target: "Target", meets: "Meets target",
    yes: "Yes", no: "No", none: "—", total: "Whole unit",
    chart: "Each unit's success rate against the target",
    sortBy: "Sort by", signedInAs: "User",
    screens: "Screens", intake: "New case", team: "Mediation team",
    category: "Category", subject: "Subject (one line)", description: "Description",
    party: "Party", fullName: "Full name", address: "Address", addParty: "Add a party",
    submit: "Submit", received_ok: "The case was received", intakeAgain: "Another case",
    categories: {
      CONFLICT: "Conflict between the parties",
      CIVIL_FAMILY: "Civil, marriage or family dispute", OTHER: "Other",
    },
    status: { RECEIVED: "received", ASSIGNED: "assigned", IN_MEDIATION: "in mediation" },
    channel: "How it reached the team", receivedOn: "Date received",
    channels: {
      IN_PERSON: "In person", PHONE: "By phone", REFERRAL: "Referred by an authority",
      MEDIATOR_NOTICED: "Noticed by a mediator", ONLINE: "Online", OTHER: "Other",
    },
    relatedMediators: "Mediators related to this party (may not mediate the case)",
    screenOverride: "An officer checked it: the matter may be mediated",
    refusals: {
      CRIME: "Signs of a crime: it may not be mediated (Decree 15/2014, Art. 5).",
      ADMINISTRATIVE_VIOLATION: "An administrative violation: it may not be mediated (Decree 15/2014, Art. 5).",
      AGAINST_LAW_OR_MORALITY: "Against the law or social morality: it may not be mediated.",
      OTHER_EXCLUDED: "A matter that may not be mediated (Decree 15/2014, Art. 5).",
      // the registry's rules (Law 35 Art. 8, 12; Plan 73 for the pilot)
      TEAM_DISSOLVED: "This mediation team is dissolved: it cannot be changed.",
      NOT_A_COMMUNE: "This unit is not a commune: a mediation team is formed in a commune or ward.",
      NOT_A_SUCCESSOR_COMMUNE: "This commune did not take over the team's area in the 2025 reorganisation.",
      BEFORE_TEAM_FORMED: "This date may not be before the team was formed.",
      BEFORE_ELECTION: "This date may not be before the mediator's election.",
      ELECTION_SHARE_TOO_LOW: "A mediator needs more than half of the household representatives (Law 35 Art. 8).",
      ALREADY_A_MEDIATOR: "This person is already a mediator of the team.",
      DECISION_BEFORE_ELECTION: "The recognition decision may not be dated before the election.",
      NOT_AWAITING_RECOGNITION: "This mediator is already recognised or has left.",
      MEDIATOR_LEFT: "This person has already left the team.",
      LEADER_NOT_A_MEMBER: "The team leader must be one of the team's mediators (Law 35 Art. 12).",
      LEADS_ANOTHER_TEAM: "This person already leads another mediation team.",
      NOT_A_MEMBER: "This mediator is not a member of the team.",
      PERIOD_ENDS_BEFORE_START: "The period may not end before it starts.",
      ALREADY_A_PILOT_COMMUNE: "This commune is already a pilot commune.",
      NOT_A_PILOT_COMMUNE: "The team's commune is not a pilot commune.",
      ALREADY_A_MODEL_TEAM: "This team is already a model-team candidate.",
      MODEL_TEAMS_FULL: "A pilot commune selects 2 model teams.",
    },
    errorCodes: {
      BAD_USER_INPUT: "Please check this field.",
      CONFLICT: "Not done: it clashes with the data as it is now; please reload the page.",
      NOT_FOUND: "Not found.",
      FORBIDDEN: "You may not do this.",
    },
    // an error's words by the field the API names (without "input.") and its code
    fieldErrors: {
      idempotencyKey: { CONFLICT: "This form's key was used for another case." },
      teamId: { NOT_FOUND: "No active mediation team by that name." },
      mediatorIds: {
        CONFLICT: "This mediator is a party or related to a party of the case: they may not mediate it (Law 35 Art. 18, conflict of interest).",
        NOT_FOUND: "No such mediator.",
        BAD_USER_INPUT: "This mediator is not a member of the case's team.",
      },
      status: { CONFLICT: "The case's status does not allow this (it may just have changed): please reload the page." },
      caseId: { CONFLICT: "This is already recorded for the case." },
    },
    dateHint: "Day/month/year, e.g. 05/07/2025; the up and down arrow keys change the day.",
    dateInvalid: "Not a valid date: type it as day/month/year, e.g. 05/07/2025.",
    dateMissing: "Please type a date as day/month/year.",
    dateAfterMax: "The date may not be after {date}.",
  },
};

// The words of the dashboard's panels, the registry and the reports (issue 18, views).
const VIEW_WORDS = {
  vi: {
    drillPath: "Đơn vị đang xem", top: "Toàn đơn vị", noRows: "Chưa có số liệu.",
    trend: "Tỷ lệ hòa giải thành qua các năm", hotspots: "Điểm nóng (30 ngày qua)",
    casesIn30Days: "vụ việc trong 30 ngày", ratio: "gấp", escalated: "vụ việc báo cáo khẩn",
    noHotspots: "Không có điểm nóng.", overdue: "Vụ việc quá hạn bắt đầu hòa giải",
    startDeadline: "hạn bắt đầu", nonCompliant: "Tổ hòa giải chưa đủ điều kiện",
    issues: {
      TOO_FEW_MEDIATORS: "dưới 3 hòa giải viên", NO_WOMAN: "không có hòa giải viên nữ",
      NO_LEADER: "chưa có tổ trưởng", NO_ETHNIC_MINORITY_MEDIATOR: "chưa có hòa giải viên người dân tộc thiểu số",
    },
    registry: "Tổ hòa giải và hòa giải viên", mediators: "Số hòa giải viên",
    compliance: "Điều kiện (Điều 12 Luật Hòa giải ở cơ sở)", open: "Xem", compliant: "Đủ điều kiện",
    gender: "Giới tính", yearOfBirth: "Năm sinh", ethnicity: "Dân tộc", electedOn: "Ngày bầu",
    recognition: "Quyết định công nhận", leader: "tổ trưởng",
    genders: { FEMALE: "Nữ", MALE: "Nam" }, late: "quá 5 ngày làm việc",
    notRecognised: "Chưa công nhận", saved: "Đã lưu.", save: "Lưu",
    formTeam: "Thành lập tổ hòa giải", teamName: "Tên tổ hòa giải", village: "Thôn, bản, tổ dân phố",
    formedOn: "Ngày thành lập", addMediator: "Thêm hòa giải viên",
    electionShare: "Tỷ lệ hộ gia đình đồng ý (%)", recognise: "Công nhận hòa giải viên",
    mediator: "Hòa giải viên", decisionNumber: "Số quyết định", decisionDate: "Ngày quyết định",
    issuedBy: "Người ký", electLeader: "Bầu tổ trưởng tổ hòa giải",
    reports: "Báo cáo", report0403: "Báo cáo thống kê (chỉ tiêu 0403)", period: "Kỳ báo cáo",
    wholeYear: "Cả năm", half1: "6 tháng đầu năm", half2: "6 tháng cuối năm",
    downloadCsv: "Tải CSV", downloadXlsx: "Tải XLSX", group: "Nhóm vụ việc",
    report: {
      received: "Tổng số vụ việc tiếp nhận", successful: "Hòa giải thành",
      unsuccessful: "Hòa giải không thành", inProgress: "Đang hòa giải", stopped: "Dừng hòa giải",
      referred: "Chuyển cơ quan có thẩm quyền", rate: "Tỷ lệ hòa giải thành (%)",
    },
    sum: "Tổng cộng", teamsCount: "Số tổ hòa giải", mediatorsCount: "Số hòa giải viên",
    logBook: "Sổ theo dõi hoạt động hòa giải ở cơ sở", summary: "Sơ kết, tổng kết",
    remuneration: "Thù lao hòa giải viên", paidCases: "Số vụ việc được chi thù lao",
    paid: "Đã chi", budget: "Dự toán", remaining: "Còn lại",
    pilot: "Đánh giá thí điểm tổ hòa giải điển hình tiên tiến", programmeYear: "Năm thí điểm",
    modelTeamsMeeting: "Số tổ đạt chỉ tiêu 90%", commune: "Xã, phường", hidden: "(không hiển thị)",
  },
  en: {
    drillPath: "Units shown", top: "Whole unit", noRows: "No figures yet.",
    trend: "Success rate over the years", hotspots: "Hot spots (last 30 days)",
    casesIn30Days: "cases in 30 days", ratio: "ratio", escalated: "escalated",
    noHotspots: "No hot spot.", overdue: "Cases past the start deadline",
    startDeadline: "start deadline", nonCompliant: "Non-compliant teams",
    issues: {
      TOO_FEW_MEDIATORS: "fewer than 3 mediators", NO_WOMAN: "no woman mediator",
      NO_LEADER: "no leader", NO_ETHNIC_MINORITY_MEDIATOR: "no ethnic-minority mediator",
    },
    registry: "Teams and mediators", mediators: "Mediators",
    compliance: "Law 35 Art. 12", open: "Open", compliant: "Compliant",
    gender: "Gender", yearOfBirth: "Year of birth", ethnicity: "Ethnicity", electedOn: "Elected on",
    recognition: "Recognition decision", leader: "leader",
    genders: { FEMALE: "Female", MALE: "Male" }, late: "after 5 working days",
    notRecognised: "Not recognised", saved: "Saved.", save: "Save",
    formTeam: "Form a team", teamName: "Team name", village: "Village or urban block",
    formedOn: "Formed on", addMediator: "Add a mediator",
    electionShare: "Households agreeing (%)", recognise: "Recognise a mediator",
    mediator: "Mediator", decisionNumber: "Decision number", decisionDate: "Decision date",
    issuedBy: "Signed by", electLeader: "Elect the team leader",
    reports: "Reports", report0403: "Statistics report (indicator 0403)", period: "Period",
    wholeYear: "Whole year", half1: "First half", half2: "Second half",
    downloadCsv: "Download CSV", downloadXlsx: "Download XLSX", group: "Group",
    report: {
      received: "Received", successful: "Successful",
      unsuccessful: "Unsuccessful", inProgress: "In mediation", stopped: "Stopped",
      referred: "Referred", rate: "Success rate (%)",
    },
    sum: "Total", teamsCount: "Teams", mediatorsCount: "Mediators",
    logBook: "Team's log book", summary: "Multi-year summary",
    remuneration: "Mediators' remuneration", paidCases: "Cases paid",
    paid: "Paid", budget: "Budget", remaining: "Remaining",
    pilot: "Pilot evaluation (model teams)", programmeYear: "Programme year",
    modelTeamsMeeting: "Teams meeting 90 %", commune: "Commune", hidden: "(hidden)",
  },
};
for (const language of LANGUAGES) Object.assign(WORDS[language], VIEW_WORDS[language]);

export function words(language) {
  return WORDS[language] || WORDS.vi;
}

const NUMBER = new Intl.NumberFormat("vi-VN");
const PERCENT = new Intl.NumberFormat("vi-VN", { style: "percent", maximumFractionDigits: 1 });

export const formatNumber = (value) => (value == null ? "—" : NUMBER.format(value));
export const formatPercent = (value) => (value == null ? "—" : PERCENT.format(value));

// "2025-07-01" or an ISO timestamp → "01/07/2025", in the province's time zone.
export function formatDate(value) {
  if (!value) return "—";
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(value + "T00:00:00+07:00") : new Date(value);
  return new Intl.DateTimeFormat("vi-VN", {
    day: "2-digit", month: "2-digit", year: "numeric", timeZone: "Asia/Ho_Chi_Minh",
  }).format(date);
}

// The case screens' words (cases.js, case.js, offline.js, downloads.js), merged into WORDS.
const CASE_WORDS = {
  vi: {
    cases: "Vụ việc", all: "Tất cả", statusLabel: "Trạng thái", subjectShort: "Nội dung",
    receivedAt: "Ngày tiếp nhận", caseStartDeadline: "Hạn bắt đầu hòa giải", noCases: "Không có vụ việc.",
    pages: "Trang", previous: "Trang trước", next: "Trang sau",
    caseTitle: "Vụ việc", caseDenied: "Không có vụ việc này, hoặc bạn không có quyền xem.",
    caseMediators: "Hòa giải viên", parties: "Các bên", timeline: "Diễn biến vụ việc",
    referredTo: "Cơ quan có thẩm quyền", caseEscalated: "đã báo cáo", actions: "Thao tác",
    offline: "Mất kết nối: các vụ việc tiếp nhận sẽ được gửi khi có mạng.",
    queuedOk: "Ngoại tuyến, đang chờ gửi: vụ việc sẽ được gửi khi có mạng.",
    queueTitle: "Ngoại tuyến, đang chờ gửi", queueOffline: "Sẽ gửi khi có mạng.",
    queueSending: "Đang gửi…", queueDiscard: "Hủy các vụ việc đang chờ", queueEdit: "Sửa và gửi lại",
    unsentQuestion: "Còn {n} vụ việc chưa gửi, có dữ liệu cá nhân của các bên. Giữ lại trên máy này cho lần đăng nhập sau, hay hủy?",
    keepUnsent: "Giữ lại cho lần đăng nhập sau", discardUnsent: "Hủy, không gửi", cancel: "Quay lại",
    statuses: {
      RECEIVED: "Tiếp nhận", ASSIGNED: "Đã phân công", IN_MEDIATION: "Đang hòa giải",
      SUCCESSFUL: "Hòa giải thành", UNSUCCESSFUL: "Hòa giải không thành",
      STOPPED: "Dừng hòa giải", REFERRED: "Chuyển cơ quan có thẩm quyền",
    },
    steps: {
      receive: "Tiếp nhận", assign: "Phân công hòa giải viên", start: "Bắt đầu hòa giải",
      resolve: "Ghi kết quả hòa giải", refer: "Chuyển đến cơ quan có thẩm quyền",
      guide: "Hướng dẫn đến cơ quan có thẩm quyền", escalate: "Báo cáo vụ việc",
      follow_up: "Theo dõi, đôn đốc thực hiện thỏa thuận",
    },
    actionNames: {
      assign: "Phân công hòa giải viên", start: "Bắt đầu hòa giải", outcome: "Ghi kết quả hòa giải",
      escalate: "Báo cáo vụ việc", refer: "Hướng dẫn, chuyển đến cơ quan có thẩm quyền",
      followUp: "Theo dõi, đôn đốc thực hiện thỏa thuận",
    },
    fields: {
      mediatorIds: "Hòa giải viên", outcome: "Kết quả", note: "Ghi chú",
      agreementText: "Nội dung thỏa thuận", kind: "Tính chất", reason: "Lý do",
      authority: "Cơ quan có thẩm quyền", carriedOut: "Các bên đã thực hiện thỏa thuận",
    },
    choices: {
      SUCCESSFUL: "Hòa giải thành", UNSUCCESSFUL: "Hòa giải không thành", STOPPED: "Dừng hòa giải",
      MASS_OR_COMPLEX: "Phức tạp, đông người", VIOLENCE_RISK: "Có nguy cơ bạo lực",
      CRIME_SIGNS: "Có dấu hiệu tội phạm", true: "Đã thực hiện", false: "Chưa thực hiện",
    },
  },
  en: {
    cases: "Cases", all: "All", statusLabel: "Status", subjectShort: "Subject",
    receivedAt: "Received on", caseStartDeadline: "Start deadline", noCases: "No cases.",
    pages: "Pages", previous: "Previous page", next: "Next page",
    caseTitle: "Case", caseDenied: "This case does not exist, or you may not see it.",
    caseMediators: "Mediators", parties: "Parties", timeline: "Timeline",
    referredTo: "Competent authority", caseEscalated: "escalated", actions: "Actions",
    offline: "Offline: new cases will be sent when the network is back.",
    queuedOk: "Offline, waiting to be sent: the case will be sent when the network is back.",
    queueTitle: "Offline, waiting to be sent", queueOffline: "Will be sent when online.",
    queueSending: "Sending…", queueDiscard: "Discard the waiting cases", queueEdit: "Correct and send again",
    unsentQuestion: "{n} cases are not sent yet and hold the parties' personal data. Keep them on this computer for the next login, or discard them?",
    keepUnsent: "Keep for the next login", discardUnsent: "Discard, do not send", cancel: "Go back",
    statuses: {
      RECEIVED: "Received", ASSIGNED: "Assigned", IN_MEDIATION: "In mediation",
      SUCCESSFUL: "Successful", UNSUCCESSFUL: "Unsuccessful",
      STOPPED: "Stopped", REFERRED: "Referred",
    },
    steps: {
      receive: "Received", assign: "Mediators assigned", start: "Mediation started",
      resolve: "Outcome recorded", refer: "Referred to the competent authority",
      guide: "Guided to the competent authority", escalate: "Escalated",
      follow_up: "Follow-up of the agreement",
    },
    actionNames: {
      assign: "Assign mediators", start: "Start mediation", outcome: "Record the outcome",
      escalate: "Escalate", refer: "Refer to the competent authority",
      followUp: "Follow up the agreement",
    },
    fields: {
      mediatorIds: "Mediators", outcome: "Outcome", note: "Note",
      agreementText: "The agreement", kind: "Kind", reason: "Reason",
      authority: "Competent authority", carriedOut: "The parties carried out the agreement",
    },
    choices: {
      SUCCESSFUL: "Successful", UNSUCCESSFUL: "Unsuccessful", STOPPED: "Stopped",
      MASS_OR_COMPLEX: "Complex or many people", VIOLENCE_RISK: "Risk of violence",
      CRIME_SIGNS: "Signs of a crime", true: "Carried out", false: "Not carried out",
    },
  },
};
Object.assign(WORDS.vi, CASE_WORDS.vi);
Object.assign(WORDS.en, CASE_WORDS.en);

const MONEY = new Intl.NumberFormat("vi-VN", { style: "currency", currency: "VND" });
export const formatMoney = (value) => (value == null ? "—" : MONEY.format(value));
