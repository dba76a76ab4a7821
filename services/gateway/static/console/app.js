// The console's shell: language, session (login, reload, expiry, logout) and the screen.
import { html, render, useEffect, useState } from "/console/vendor/htm-preact-standalone.module.js";
import { Offline, SessionExpired, currentUser, login, logout as revoke, session } from "/console/api.js";
import { LANGUAGES, words } from "/console/i18n.js";
import { Dashboard } from "/console/dashboard.js";
import { Intake, forgetDraft } from "/console/intake.js";
import { Cases } from "/console/cases.js";
import { CasePage } from "/console/case.js";
import { LogoutQuestion, discard, keepShell, queued, useSender } from "/console/offline.js";
import { go, useRoute } from "/console/route.js";
import { Registry } from "/console/registry.js";
import { Reports } from "/console/reports.js";

const LANGUAGE = "hoagiai.language"; // a preference, not a secret: localStorage is fine
// The screens of each role; the gateway's policy still decides what each request returns.
const SCREENS = { dashboard: Dashboard, intake: Intake, cases: Cases, registry: Registry,
  reports: Reports };
const INTAKE_ROLES = ["COMMUNE_OFFICER", "TEAM_LEADER", "MEDIATOR"];
const CASE_ROLES = [...INTAKE_ROLES, "DISTRICT_OFFICER", "PROVINCE_OFFICER"];
const REGISTRY_ROLES = ["COMMUNE_OFFICER"]; // the commune keeps its teams (Law 35 Art. 8, 12)
const screensOf = (user) => ["dashboard", ...(CASE_ROLES.includes(user.role) ? ["cases"] : []),
  ...(INTAKE_ROLES.includes(user.role) ? ["intake"] : []),
  ...(REGISTRY_ROLES.includes(user.role) ? ["registry"] : []), "reports"];
keepShell();

function App() {
  const [language, setLanguage] = useState(localStorage.getItem(LANGUAGE) || "vi");
  const [user, setUser] = useState(undefined); // undefined: still checking the stored token
  const [notice, setNotice] = useState(null);
  const route = useRoute();
  const [leaving, setLeaving] = useState(0); // unsent forms at a logout: ask first
  const w = words(language);
  useSender(user, expired);

  useEffect(() => { document.documentElement.lang = language; }, [language]);
  useEffect(() => { currentUser().then(setUser, expired); }, []);
  useEffect(() => {  // back online: the offline notice no longer holds
    const online = () => setNotice((n) => (n === "offline" ? null : n));
    addEventListener("online", online);
    return () => removeEventListener("online", online);
  }, []);

  function expired(error) {
    if (error instanceof Offline) {
      setNotice("offline");
    } else if (error instanceof SessionExpired) {
      setUser(null);
      setNotice("sessionExpired");
    } else {
      setNotice("error");
    }
  }
  function switchLanguage() {
    const next = LANGUAGES[(LANGUAGES.indexOf(language) + 1) % LANGUAGES.length];
    localStorage.setItem(LANGUAGE, next);
    setLanguage(next);
  }
  async function logout() {
    const unsent = (await queued(user.username).catch(() => [])).length;
    if (unsent && !leaving) {
      setLeaving(unsent);
      return;
    }
    setLeaving(0);
    forgetDraft();
    await revoke();
    setUser(null);
    go("dashboard");
    setNotice(null);
  }

  return html`<header class="top">
      <h1>hoagiai · ${w.title}</h1>
      <nav>
        ${user && html`<span class="who">${w.signedInAs}: <strong id="username">${user.username}</strong></span>
          <button type="button" id="logout" onClick=${logout}>${w.logout}</button>`}
        <button type="button" id="language" lang=${language === "vi" ? "en" : "vi"}
          aria-label=${w.languageLabel} onClick=${switchLanguage}>${w.language}</button>
      </nav>
    </header>
    ${notice && html`<p class="notice" role="alert" id="notice">${w[notice]}</p>`}
    ${leaving > 0 && html`<${LogoutQuestion} count=${leaving} w=${w} onCancel=${() => setLeaving(0)}
      onKeep=${logout} onDiscard=${() => discard(user.username).then(logout)} />`}
    ${user === undefined ? html`<p role="status">${w.loading}</p>`
      : user ? html`<${Screens} user=${user} w=${w} route=${route} onError=${expired} />`
      : html`<${Login} w=${w} onLogin=${(u) => { setNotice(null); setUser(u); }} />`}`;
}

function Screens({ user, w, route, onError }) {
  const names = screensOf(user);
  const screen = names.includes(route.screen) ? route.screen : "dashboard";
  const Screen = screen === "cases" && route.id ? CasePage : SCREENS[screen];
  return html`${names.length > 1 && html`<nav class="screens" aria-label=${w.screens}>
      ${names.map((name) => html`<button type="button" id=${`screen-${name}`}
        aria-current=${name === screen ? "page" : undefined}
        onClick=${() => go(name)}>${w[name]}</button>`)}</nav>`}
    <${Screen} key=${route.id || screen} id=${route.id} user=${user} w=${w} onError=${onError} />`;
}

function Login({ w, onLogin }) {
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  async function submit(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    setBusy(true);
    try {
      onLogin(await login(form.get("username"), form.get("password")));
    } catch {
      setFailed(true);
      setBusy(false);
    }
  }
  return html`<form id="login" class="login" onSubmit=${submit}>
    <h2>${w.login}</h2>
    <label for="username-field">${w.username}</label>
    <input id="username-field" name="username" autocomplete="username" required />
    <label for="password-field">${w.password}</label>
    <input id="password-field" name="password" type="password" autocomplete="current-password" required />
    ${failed && html`<p class="error" role="alert">${w.loginFailed}</p>`}
    <button type="submit" disabled=${busy}>${w.login}</button>
  </form>`;
}

render(html`<${App} />`, document.getElementById("app"));
