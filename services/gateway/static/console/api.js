// The public GraphQL API, the console's only back end. The token lives in sessionStorage
// (one tab, kept across a reload, gone with the tab), never in localStorage.
const TOKEN = "hoagiai.token";

const ME_KEY = "hoagiai.me"; // who the token belongs to, for a reload while offline

export class SessionExpired extends Error {}
export class Offline extends Error {} // the request never reached the gateway

export class ApiError extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join("; "));
    this.errors = errors;
  }
}

export const session = {
  token: () => sessionStorage.getItem(TOKEN),
  start: (token) => sessionStorage.setItem(TOKEN, token),
  // the token and all the console kept with it (the user, team names)
  end: () => Object.keys(sessionStorage).filter((k) => k.startsWith("hoagiai."))
    .forEach((k) => sessionStorage.removeItem(k)),
};

export async function gql(query, variables = {}) {
  const headers = { "content-type": "application/json", accept: "application/json" };
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch("/graphql", {
      method: "POST", headers, body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new Offline();
  }
  const body = await response.json().catch(() => ({}));
  const errors = body.errors || [];
  if (response.status === 401 || errors.some((e) => e.extensions?.code === "UNAUTHENTICATED")) {
    session.end();
    throw new SessionExpired();
  }
  if (errors.length || !body.data) throw new ApiError(errors.length ? errors : [{ message: "no data" }]);
  return body.data;
}

const LOGIN = `mutation($u: String!, $p: String!) { login(username: $u, password: $p) {
  token user { username role scopeCode scopeVersion scope { code name level } } } }`;
const ME = `{ me { username role scopeCode scopeVersion scope { code name level } } }`;

export async function login(username, password) {
  session.end();
  const data = await gql(LOGIN, { u: username, p: password });
  session.start(data.login.token);
  sessionStorage.setItem(ME_KEY, JSON.stringify(data.login.user));
  return data.login.user;
}

// The user of the stored token, or null without one (a reload in the same tab). Offline,
// the user last seen with this token: the gateway checks the token again once online.
export async function currentUser() {
  if (!session.token()) return null;
  let data;
  try {
    data = await gql(ME);
  } catch (error) {
    const seen = sessionStorage.getItem(ME_KEY);
    if (error instanceof Offline && seen) return JSON.parse(seen);
    throw error;
  }
  if (!data.me) session.end();
  else sessionStorage.setItem(ME_KEY, JSON.stringify(data.me));
  return data.me;
}

// Revokes the token on every gateway replica, then drops it here. Offline, or with a token
// already gone, it is only dropped: it expires on its own (JWT_TTL_SECONDS).
export async function logout() {
  try {
    if (session.token()) await gql(`mutation { logout { revoked } }`);
  } catch {
    // nothing more to do: the token is dropped below either way
  } finally {
    session.end();
  }
}
