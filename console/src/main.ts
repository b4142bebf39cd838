import { describeError } from "./components/notice.js";
import { h, replaceChildren } from "./dom.js";
import { language, t } from "./i18n/i18n.js";
import { header, homePath } from "./layout.js";
import type { PageContext } from "./page.js";
import { pages } from "./pages/index.js";
import { loginPage } from "./pages/login.js";
import { publicPages } from "./pages/public/publicPages.js";
import { matchRoute } from "./router.js";
import { type Me, rolesOf, Session } from "./session.js";

const root = document.getElementById("app") as HTMLElement;
let me: Me | null = null;
let leave = new AbortController();
/** After a menu link, focus goes to the new page's content (keyboard and screen reader users). */
let moveFocus = false;
let afterLogin = "/";
const session = new Session(() => {
  me = null;
  navigate("/login");
});

function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  void render();
}

async function logout(): Promise<void> {
  await session.logout().catch(() => undefined);
  me = null;
  navigate("/login");
}

/** Draws the page for the current address: login, a role's page, or "not for you". */
async function render(): Promise<void> {
  leave.abort();
  leave = new AbortController();
  const signal = leave.signal;
  document.documentElement.lang = language();
  const path = location.pathname;

  // The links of invitation and reset e-mails open without a login (and do not need one).
  const publicPage = publicPages[path];
  if (publicPage !== undefined) {
    draw(
      path,
      t(publicPage.title),
      publicPage.render(session.api, new URLSearchParams(location.search)),
    );
    return;
  }
  if (!session.loggedIn) {
    // A link opened before logging in (a bookmarked board) is where the login leads.
    if (path !== "/login") {
      afterLogin = path + location.search;
      history.replaceState(null, "", "/login");
    }
    draw(
      "/login",
      t("login.title"),
      loginPage(session, () => void start()),
    );
    return;
  }
  if (me === null) {
    try {
      me = await session.api.get<Me>("/me");
    } catch (error) {
      // A 401 (session ended, account disabled) has already moved to the login page.
      if (!signal.aborted)
        draw(path, t("error.title"), h("p", { role: "alert" }, describeError(error)));
      return;
    }
  }
  if (path === "/" || path === "/login") {
    navigate(homePath(me), true);
    return;
  }
  const match = matchRoute(pages, path);
  if (!match) {
    draw(path, t("error.notFound"), h("p", {}, t("error.noSuchPage")));
    return;
  }
  const roles = rolesOf(me);
  if (!match.page.roles.some((role) => roles.includes(role))) {
    draw(path, t("error.forbidden"), h("p", { role: "alert" }, t("error.notForRole")));
    return;
  }
  const context: PageContext = {
    api: session.api,
    me,
    params: match.params,
    query: new URLSearchParams(location.search),
    signal,
    // A page left while it was still loading must not move the person elsewhere.
    navigate: (to, replace) => {
      if (!signal.aborted) navigate(to, replace);
    },
    adoptSession: (answer) => session.adopt(answer),
  };
  const title = t(match.page.title);
  draw(path, title, h("p", { class: "loading", "aria-busy": "true" }, t("common.loading")));
  try {
    const content = await match.page.render(context);
    if (!signal.aborted) draw(path, title, content);
  } catch (error) {
    if (!signal.aborted) draw(path, title, h("p", { role: "alert" }, describeError(error)));
  }
}

function draw(path: string, title: string, content: Node): void {
  document.title = `${title} — Passerelle`;
  const skip = document.querySelector(".skip-link");
  if (skip) skip.textContent = t("nav.skip");
  const main = h("main", { id: "main", tabindex: -1 }, h("h1", {}, title), content);
  replaceChildren(
    root,
    header(me, path, { logout: () => void logout(), rerender: () => void render() }),
    main,
  );
  if (moveFocus && !main.querySelector("[aria-busy]")) {
    moveFocus = false;
    main.focus();
  }
}

async function start(): Promise<void> {
  me = null;
  const target = afterLogin;
  afterLogin = "/";
  navigate(target, true);
}

// Links inside the console change the page without reloading it.
document.addEventListener("click", (event) => {
  const link = (event.target as Element).closest?.("a[data-link]");
  if (!(link instanceof HTMLAnchorElement) || event.ctrlKey || event.metaKey || event.shiftKey)
    return;
  event.preventDefault();
  moveFocus = true;
  navigate(link.pathname + link.search);
});
window.addEventListener("popstate", () => void render());
void render();
