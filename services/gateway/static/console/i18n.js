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
