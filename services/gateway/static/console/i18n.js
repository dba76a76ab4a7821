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
  },
  en: {
    title: "Grassroots mediation",
    login: "Log in", logout: "Log out", username: "Username", password: "Password",
    loginFailed: "Wrong username or password.",
    sessionExpired: "Your session has expired; please log in again.",
    error: "Could not load the figures.", loading: "Loading…",
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
  },
};

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
    receivedAt: "Ngày tiếp nhận", startDeadline: "Hạn bắt đầu hòa giải", noCases: "Không có vụ việc.",
    pages: "Trang", previous: "Trang trước", next: "Trang sau",
    caseTitle: "Vụ việc", caseDenied: "Không có vụ việc này, hoặc bạn không có quyền xem.",
    mediators: "Hòa giải viên", parties: "Các bên", timeline: "Diễn biến vụ việc",
    referredTo: "Cơ quan có thẩm quyền", escalated: "đã báo cáo", actions: "Thao tác",
    logBook: "Sổ theo dõi hoạt động hòa giải ở cơ sở", report0403: "Báo cáo thống kê (chỉ tiêu 0403)",
    offline: "Mất kết nối: các vụ việc tiếp nhận sẽ được gửi khi có mạng.",
    queuedOk: "Ngoại tuyến, đang chờ gửi: vụ việc sẽ được gửi khi có mạng.",
    queueTitle: "Ngoại tuyến, đang chờ gửi", queueOffline: "Sẽ gửi khi có mạng.",
    queueSending: "Đang gửi…", queueDiscard: "Hủy các vụ việc đang chờ",
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
    receivedAt: "Received on", startDeadline: "Start deadline", noCases: "No cases.",
    pages: "Pages", previous: "Previous page", next: "Next page",
    caseTitle: "Case", caseDenied: "This case does not exist, or you may not see it.",
    mediators: "Mediators", parties: "Parties", timeline: "Timeline",
    referredTo: "Competent authority", escalated: "escalated", actions: "Actions",
    logBook: "Team's log book", report0403: "Official report (indicator 0403)",
    offline: "Offline: new cases will be sent when the network is back.",
    queuedOk: "Offline, waiting to be sent: the case will be sent when the network is back.",
    queueTitle: "Offline, waiting to be sent", queueOffline: "Will be sent when online.",
    queueSending: "Sending…", queueDiscard: "Discard the waiting cases",
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
