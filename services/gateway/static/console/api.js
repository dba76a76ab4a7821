// The public GraphQL API, the console's only back end. The token lives in sessionStorage
// (one tab, kept across a reload, gone with the tab), never in localStorage.
const TOKEN = "hoagiai.token";

export class SessionExpired extends Error {}

export class ApiError extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join("; "));
    this.errors = errors;
  }
}

export const session = {
  token: () => sessionStorage.getItem(TOKEN),
  start: (token) => sessionStorage.setItem(TOKEN, token),
  end: () => sessionStorage.removeItem(TOKEN),
};

export async function gql(query, variables = {}) {
  const headers = { "content-type": "application/json", accept: "application/json" };
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch("/graphql", {
    method: "POST", headers, body: JSON.stringify({ query, variables }),
  });
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
  return data.login.user;
}

// The user of the stored token, or null without one (a reload in the same tab).
export async function currentUser() {
  if (!session.token()) return null;
  const data = await gql(ME);
  if (!data.me) session.end();
  return data.me;
}
