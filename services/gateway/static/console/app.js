// The console's shell: language, session (login, reload, expiry, logout) and the screen.
import { html, render, useEffect, useState } from "/console/vendor/htm-preact-standalone.module.js";
import { SessionExpired, currentUser, login, session } from "/console/api.js";
import { LANGUAGES, words } from "/console/i18n.js";
import { Dashboard } from "/console/dashboard.js";
import { Intake } from "/console/intake.js";
import { Registry } from "/console/registry.js";
import { Reports } from "/console/reports.js";

const LANGUAGE = "hoagiai.language"; // a preference, not a secret: localStorage is fine
// The screens of each role; the gateway's policy still decides what each request returns.
const SCREENS = { dashboard: Dashboard, intake: Intake, registry: Registry, reports: Reports };
const INTAKE_ROLES = ["COMMUNE_OFFICER", "TEAM_LEADER", "MEDIATOR"];
const REGISTRY_ROLES = ["COMMUNE_OFFICER"]; // the commune keeps its teams (Law 35 Art. 8, 12)
const screensOf = (user) => [
  "dashboard", ...(INTAKE_ROLES.includes(user.role) ? ["intake"] : []),
  ...(REGISTRY_ROLES.includes(user.role) ? ["registry"] : []), "reports"];

function App() {
  const [language, setLanguage] = useState(localStorage.getItem(LANGUAGE) || "vi");
  const [user, setUser] = useState(undefined); // undefined: still checking the stored token
  const [notice, setNotice] = useState(null);
  const [screen, setScreen] = useState("dashboard");
  const w = words(language);

  useEffect(() => { document.documentElement.lang = language; }, [language]);
  useEffect(() => { currentUser().then(setUser, expired); }, []);

  function expired(error) {
    if (error instanceof SessionExpired) {
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
  function logout() {
    session.end();
    setUser(null);
    setScreen("dashboard");
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
    ${user === undefined ? html`<p role="status">${w.loading}</p>`
      : user ? html`<${Screens} user=${user} w=${w} screen=${screen} setScreen=${setScreen}
          onError=${expired} />`
      : html`<${Login} w=${w} onLogin=${(u) => { setNotice(null); setUser(u); }} />`}`;
}

function Screens({ user, w, screen, setScreen, onError }) {
  const names = screensOf(user);
  const Screen = SCREENS[names.includes(screen) ? screen : "dashboard"];
  return html`${names.length > 1 && html`<nav class="screens" aria-label=${w.screens}>
      ${names.map((name) => html`<button type="button" id=${`screen-${name}`}
        aria-current=${name === screen ? "page" : undefined}
        onClick=${() => setScreen(name)}>${w[name]}</button>`)}</nav>`}
    <${Screen} user=${user} w=${w} onError=${onError} />`;
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
