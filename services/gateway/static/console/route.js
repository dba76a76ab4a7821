// The screen in the address: #/cases, #/cases/<id>, #/intake … so a reload, the back
// button and a link keep it. What a screen shows is still the API's answer to the token.
import { useEffect, useState } from "/console/vendor/htm-preact-standalone.module.js";

export function parseHash(hash) {
  const [screen, id] = hash.replace(/^#\/?/, "").split("/");
  return { screen: screen || "dashboard", id: id ? decodeURIComponent(id) : null };
}

export const href = (screen, id) => (id ? `#/${screen}/${encodeURIComponent(id)}` : `#/${screen}`);

export function go(screen, id) {
  location.hash = href(screen, id);
}

export function useRoute() {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseHash(location.hash));
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  return route;
}
