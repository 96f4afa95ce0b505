// The web pages in a real browser: log-in as each role, errors, log-out, languages,
// accessibility (axe) on every page, the same pages without JavaScript, CSRF, escaping of
// hostile text, security headers and assets. Run by tests/e2e/run.sh.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { request } from "playwright-core";
import {
  URL, PASSWORD, ADMIN, LOGINS, LANGS, WORDS, ROLE_LABELS,
  launch, close, context, logIn, axe, shot, byRole,
} from "./lib.mjs";

before(launch);
after(close);

const HOSTILE = `"><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'&amp;</textarea>`;

/** An API session as the administrator, to create the people some tests need. */
async function adminApi() {
  const api = await request.newContext({ baseURL: URL });
  const r = await api.post("/api/v1/session", { data: { email: ADMIN, password: PASSWORD } });
  assert.equal(r.status(), 201);
  const csrf = (await r.json()).csrf_token;
  return {
    api,
    async createUser(email, name, role = "account_executive") {
      const c = await api.post("/api/v1/users", {
        data: { email, name, role, password: PASSWORD },
        headers: { "X-CSRF-Token": csrf },
      });
      assert.equal(c.status(), 201, await c.text());
      return { role, email, name };
    },
  };
}

async function noScriptRan(page) {
  assert.equal(await page.evaluate(() => window.__pwned), undefined, "a hostile script ran");
}

test("the log-in page in each language passes axe", async () => {
  for (const lang of LANGS) {
    const ctx = await context({ lang });
    const page = await ctx.newPage();
    const resp = await page.goto(`${URL}/login`);
    assert.equal(resp.status(), 200);
    assert.equal(await page.textContent("h1"), WORDS[lang].login);
    assert.equal(await page.getAttribute("html", "lang"), lang);
    await axe(page, `/login (${lang})`);
    await shot(page, `login-${lang}`);
    assert.deepEqual(ctx.cspViolations, []);
    await ctx.close();
  }
});

test("each role logs in and sees its name and role in the inbox", async () => {
  assert.equal(LOGINS.length, 6);
  for (const who of LOGINS) {
    const ctx = await context();
    const page = await logIn(ctx, who);
    assert.equal(page.url(), `${URL}/`, `${who.role} lands on the inbox`);
    assert.equal(await page.textContent("h1"), "Inbox");
    const lead = await page.textContent(".lead");
    assert.ok(lead.includes(who.name), `${who.role}: "${lead}" names ${who.name}`);
    assert.ok(lead.includes(ROLE_LABELS[who.role]), `${who.role}: "${lead}" gives the role`);
    assert.equal(await page.textContent(".user-name"), who.name);
    // each item's label (the inbox's counter beside it is a number of its own)
    const nav = await page.$$eval(".sidenav a", (as) => as.map((a) => a.childNodes[0].textContent.trim()));
    assert.deepEqual(nav, who.role === "revops" ? ["Inbox", "Handoffs", "Admin", "Account"] : ["Inbox", "Handoffs", "Account"]);
    assert.equal(await page.getAttribute(".sidenav a[aria-current=page]", "href"), "/");
    await axe(page, `inbox as ${who.role}`);
    await shot(page, `inbox-${who.role}`);
    assert.deepEqual(ctx.cspViolations, [], `${who.role}: console errors`);
    await ctx.close();
  }
});

test("a wrong password is refused, summarized at the top and shown at the field", async () => {
  for (const lang of LANGS) {
    const ctx = await context({ lang });
    const page = await ctx.newPage();
    await page.goto(`${URL}/login`);
    await page.fill("#email", byRole("csm").email);
    await page.fill("#password", "not-the-password");
    const [resp] = await Promise.all([page.waitForNavigation(), page.click("form.form button")]);
    assert.equal(resp.status(), 401);
    assert.equal(await page.textContent(".error-summary h2"), WORDS[lang].problem);
    assert.equal(await page.textContent(".error-summary a"), WORDS[lang].wrong);
    assert.equal(await page.getAttribute(".error-summary a", "href"), "#email");
    assert.ok((await page.textContent("#email-error")).includes(WORDS[lang].wrong));
    assert.equal(await page.getAttribute("#email", "aria-invalid"), "true");
    assert.equal(await page.inputValue("#email"), byRole("csm").email, "the e-mail is kept");
    assert.equal(await page.inputValue("#password"), "", "the password is not sent back");
    // the summary takes the focus; its link moves it to the field
    assert.equal(await page.evaluate(() => document.activeElement.className), "error-summary");
    await page.click(".error-summary a");
    assert.equal(await page.evaluate(() => document.activeElement.id), "email");
    await axe(page, `/login with an error (${lang})`);
    await shot(page, `login-error-${lang}`);
    await ctx.close();
  }
  // an empty form names both fields
  const ctx = await context();
  const page = await ctx.newPage();
  await page.goto(`${URL}/login`);
  const [resp] = await Promise.all([page.waitForNavigation(), page.click("form.form button")]);
  assert.equal(resp.status(), 422);
  const links = await page.$$eval(".error-summary a", (as) => as.map((a) => a.getAttribute("href")));
  assert.deepEqual(links, ["#email", "#password"]);
  await ctx.close();
});

test("log out ends the session", async () => {
  const ctx = await context();
  const page = await logIn(ctx, byRole("account_executive"));
  const cookies = await ctx.cookies();
  assert.ok(cookies.find((c) => c.name === "hf_session" && c.httpOnly && c.sameSite === "Strict"));
  await Promise.all([page.waitForNavigation(), page.click("form.logout button")]);
  assert.equal(page.url(), `${URL}/login`);
  await page.goto(`${URL}/`);
  assert.equal(page.url(), `${URL}/login?next=/`);
  // the old session cookie no longer opens anything
  const other = await context();
  await other.addCookies(cookies.filter((c) => c.name === "hf_session"));
  const p2 = await other.newPage();
  await p2.goto(`${URL}/`);
  assert.equal(p2.url(), `${URL}/login?next=/`);
  await ctx.close();
  await other.close();
});

test("a visitor switches the language from any page, even a missing one", async () => {
  const ctx = await context({ lang: "en" });
  const page = await ctx.newPage();
  const resp = await page.goto(`${URL}/no/such/page`);
  assert.equal(resp.status(), 404);
  await Promise.all([page.waitForNavigation(), page.selectOption("#lang-select", "id")]);
  assert.equal(await page.textContent("h1"), WORDS.id.notFound);
  await page.goto(`${URL}/login`);
  assert.equal(await page.textContent("h1"), WORDS.id.login);
  await ctx.close();
});

test("a private page sends to the log-in and back", async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await page.goto(`${URL}/account/password`);
  assert.equal(page.url(), `${URL}/login?next=/account/password`);
  await page.fill("#email", byRole("sales_manager").email);
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click("form.form button")]);
  assert.equal(page.url(), `${URL}/account/password`);
  await ctx.close();
});

test("the language switcher shows every page in each language", async () => {
  const ctx = await context({ lang: "en" });
  const page = await logIn(ctx, byRole("account_executive"));
  for (const lang of LANGS) {
    await Promise.all([page.waitForNavigation(), page.selectOption("#lang-select", lang)]);
    assert.equal(page.url(), `${URL}/`, "back where it was");
    assert.equal(await page.getAttribute("html", "lang"), lang);
    assert.equal(await page.textContent("h1"), WORDS[lang].inbox);
    await shot(page, `inbox-${lang}`);
    // the choice is remembered (cookie) on the next pages
    const pages = [
      ["/account/password", 200, WORDS[lang].password, `password-${lang}`],
      ["/handoffs?q=acme", 200, null, `handoffs-${lang}`],
      ["/admin", 403, null, `admin-forbidden-${lang}`],
      ["/no/such/page", 404, WORDS[lang].notFound, `not-found-${lang}`],
      ["/components", 200, null, `components-${lang}`],
    ];
    for (const [path, status, h1, name] of pages) {
      const resp = await page.goto(`${URL}${path}`);
      assert.equal(resp.status(), status, path);
      assert.equal(await page.getAttribute("html", "lang"), lang, path);
      if (h1) assert.equal(await page.textContent("h1"), h1, path);
      await axe(page, `${path} (${lang})`);
      await shot(page, name);
    }
    await page.goto(`${URL}/`);
  }
  // the password page with its errors, and the admin page, in each language
  const admin = await logIn(await context(), byRole("revops"));
  for (const lang of LANGS) {
    await Promise.all([admin.waitForNavigation(), admin.selectOption("#lang-select", lang)]);
    await admin.goto(`${URL}/admin`);
    assert.equal(await admin.getAttribute("html", "lang"), lang);
    await axe(admin, `/admin (${lang})`);
    await shot(admin, `admin-${lang}`);
    await admin.goto(`${URL}/account/password`);
    await admin.fill("#new_password", "short");
    await Promise.all([admin.waitForNavigation(), admin.click("form.form button")]);
    assert.equal(await admin.textContent(".error-summary h2"), WORDS[lang].problem);
    await axe(admin, `/account/password with errors (${lang})`);
    await shot(admin, `password-error-${lang}`);
  }
  await ctx.close();
});

test("the pages work without JavaScript", async () => {
  const ctx = await context({ js: false });
  const page = await ctx.newPage();
  await page.goto(`${URL}/login`);
  // without the script, the language form shows its button
  assert.ok(await page.isVisible(".lang-switch button"));
  await page.selectOption("#lang-select", "es");
  await Promise.all([page.waitForNavigation(), page.click(".lang-switch button")]);
  assert.equal(await page.textContent("h1"), WORDS.es.login);
  await page.fill("#email", byRole("cs_manager").email);
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click("form.form button")]);
  assert.equal(page.url(), `${URL}/`);
  assert.equal(await page.textContent("h1"), WORDS.es.inbox);
  await shot(page, "inbox-nojs-es");
  await page.selectOption("#lang-select", "id");
  await Promise.all([page.waitForNavigation(), page.click(".lang-switch button")]);
  assert.equal(await page.textContent("h1"), WORDS.id.inbox);
  await page.click("text=Kata sandi");
  await page.waitForURL(`${URL}/account/password`);
  await page.fill("#current_password", PASSWORD);
  await page.fill("#new_password", "a-new-password-1");
  await page.fill("#confirm_password", "another-password");
  await Promise.all([page.waitForNavigation(), page.click("form.form button")]);
  assert.equal(await page.getAttribute(".error-summary a", "href"), "#confirm_password");
  await shot(page, "password-error-nojs-id");
  await Promise.all([page.waitForNavigation(), page.click("form.logout button")]);
  assert.equal(page.url(), `${URL}/login`);
  await ctx.close();
});

test("a password can be changed, and the old one stops working", async () => {
  const { api, createUser } = await adminApi();
  const who = await createUser("pat.change@e2e.example", "Pat Change");
  const ctx = await context();
  const page = await logIn(ctx, who);
  await page.goto(`${URL}/account/password`);
  await page.fill("#current_password", "wrong-current-password");
  await page.fill("#new_password", "a-brand-new-password");
  await page.fill("#confirm_password", "a-brand-new-password");
  let [resp] = await Promise.all([page.waitForNavigation(), page.click("form.form button")]);
  assert.equal(resp.status(), 401);
  assert.equal(await page.textContent(".error-summary a"), "The current password is wrong");
  await page.fill("#current_password", PASSWORD);
  await page.fill("#new_password", "a-brand-new-password");
  await page.fill("#confirm_password", "a-brand-new-password");
  [resp] = await Promise.all([page.waitForNavigation(), page.click("form.form button")]);
  assert.equal(page.url(), `${URL}/account/password?done=1`);
  assert.equal(await page.textContent(".notice-success p"), "Your password has been changed.");
  await axe(page, "/account/password?done=1");
  await shot(page, "password-changed-en");
  await Promise.all([page.waitForNavigation(), page.click("form.logout button")]);
  const again = await logIn(ctx, who);
  assert.equal(again.url(), `${URL}/login`, "the old password is refused");
  const fresh = await logIn(ctx, who, { password: "a-brand-new-password" });
  assert.equal(fresh.url(), `${URL}/`);
  await ctx.close();
  await api.dispose();
});

test("a form without its CSRF token is refused", async () => {
  const ctx = await context();
  const page = await logIn(ctx, byRole("viewer"));
  const form = { "Content-Type": "application/x-www-form-urlencoded" };
  for (const [path, body] of [
    ["/logout", ""],
    ["/logout", "csrf_token=not-the-token"],
    ["/language", "lang=es&back=/"],
    ["/account/password", "current_password=x&new_password=0123456789&confirm_password=0123456789"],
  ]) {
    const r = await ctx.request.post(`${URL}${path}`, { headers: form, data: body, maxRedirects: 0 });
    assert.equal(r.status(), 403, `${path} with ${body || "nothing"}`);
    assert.ok((await r.text()).includes("This form has expired"));
  }
  // still signed in, still in English
  await page.goto(`${URL}/`);
  assert.equal(await page.textContent("h1"), "Inbox");
  // JSON or a cross-site form without the hf_csrf cookie cannot log anyone in
  const anon = await request.newContext({ baseURL: URL });
  let r = await anon.post("/login", {
    headers: form,
    data: `email=${encodeURIComponent(byRole("viewer").email)}&password=${PASSWORD}&csrf_token=guess`,
    maxRedirects: 0,
  });
  assert.equal(r.status(), 403);
  r = await anon.post("/login", { data: { email: byRole("viewer").email, password: PASSWORD }, maxRedirects: 0 });
  assert.equal(r.status(), 415);
  await anon.dispose();
  await ctx.close();
});

test("hostile strings are shown as text, never run", async () => {
  // typed into the log-in form and shown back
  const ctx = await context();
  const page = await ctx.newPage();
  await page.goto(`${URL}/login`);
  await page.fill("#email", HOSTILE);
  await Promise.all([page.waitForNavigation(), page.click("form.form button")]);
  assert.equal(await page.inputValue("#email"), HOSTILE);
  await noScriptRan(page);
  assert.equal(await page.locator("script").count(), 1, "only app.js");
  assert.equal(await page.locator("main img").count(), 0);
  // a person's name, shown in the top bar and the inbox
  const { api, createUser } = await adminApi();
  const who = await createUser("hostile.name@e2e.example", HOSTILE, "csm");
  const p2 = await logIn(ctx, who);
  assert.equal(p2.url(), `${URL}/`);
  assert.equal(await p2.textContent(".user-name"), HOSTILE);
  assert.ok((await p2.textContent(".lead")).includes(HOSTILE));
  await noScriptRan(p2);
  assert.equal(await p2.locator("script").count(), 1);
  assert.equal(await p2.locator(".user-name *").count(), 0);
  // a search query, shown on the next page
  await p2.goto(`${URL}/handoffs?q=${encodeURIComponent(HOSTILE)}`);
  assert.ok((await p2.textContent("main")).includes(HOSTILE));
  await noScriptRan(p2);
  await shot(p2, "hostile-escaped");
  // a hostile path in the language form's way back is not followed off the site
  const r = await ctx.request.post(`${URL}/language`, {
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    data: `lang=en&back=${encodeURIComponent("//evil.example/")}&csrf_token=${await p2.inputValue(".lang-switch input[name=csrf_token]")}`,
    maxRedirects: 0,
  });
  assert.equal(r.status(), 303);
  assert.equal(r.headers()["location"], "/");
  await api.dispose();
  await ctx.close();
});

test("pages carry the security headers; assets are hashed, gzip'd and cached", async () => {
  const api = await request.newContext({ baseURL: URL });
  const r = await api.get("/login");
  const h = r.headers();
  assert.equal(h["content-type"], "text/html; charset=utf-8");
  for (const part of ["default-src 'self'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'", "object-src 'none'"])
    assert.ok(h["content-security-policy"].includes(part), part);
  assert.ok(!h["content-security-policy"].includes("unsafe-inline"));
  assert.equal(h["cache-control"], "no-store");
  assert.equal(h["x-content-type-options"], "nosniff");
  assert.equal(h["x-frame-options"], "DENY");
  assert.ok(h["referrer-policy"]);
  const html = await r.text();
  const css = html.match(/href="(\/static\/app\.[0-9a-f]{12}\.css)"/)[1];
  const js = html.match(/src="(\/static\/app\.[0-9a-f]{12}\.js)"/)[1];
  for (const path of [css, js]) {
    const gz = await api.get(path, { headers: { "Accept-Encoding": "gzip" } });
    assert.equal(gz.status(), 200);
    assert.equal(gz.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert.equal(gz.headers()["content-encoding"], "gzip");
    assert.equal(gz.headers()["vary"], "Accept-Encoding");
  }
  const wrongMethod = await api.post("/", { maxRedirects: 0 });
  assert.equal(wrongMethod.status(), 405);
  assert.equal(wrongMethod.headers()["allow"], "GET, HEAD");
  const old = await api.get("/static/app.000000000000.css");
  assert.equal(old.status(), 404);
  // the API keeps answering JSON
  const api404 = await api.get("/api/v1/nothing");
  assert.equal(api404.status(), 404);
  assert.equal(api404.headers()["content-type"], "application/problem+json");
  await api.dispose();
});

test("screenshots: dark scheme and phone", async () => {
  for (const [opts, suffix] of [[{ dark: true }, "dark"], [{ mobile: true }, "phone"]]) {
    const ctx = await context(opts);
    const page = await ctx.newPage();
    await page.goto(`${URL}/login`);
    await axe(page, `/login (${suffix})`);
    await shot(page, `login-${suffix}`);
    const inbox = await logIn(ctx, byRole("csm"));
    await axe(inbox, `inbox (${suffix})`);
    await shot(inbox, `inbox-${suffix}`);
    await inbox.goto(`${URL}/account/password`);
    await inbox.fill("#new_password", "short");
    await Promise.all([inbox.waitForNavigation(), inbox.click("form.form button")]);
    await axe(inbox, `/account/password with errors (${suffix})`);
    await shot(inbox, `password-error-${suffix}`);
    await inbox.goto(`${URL}/components`);
    await axe(inbox, `/components (${suffix})`);
    await shot(inbox, `components-${suffix}`);
    await ctx.close();
  }
  // printed, a page is its content alone: no top bar, navigation or forms
  const ctx = await context();
  const page = await logIn(ctx, byRole("csm"));
  await page.goto(`${URL}/components`);
  await page.emulateMedia({ media: "print" });
  for (const hidden of [".topbar", ".sidenav", "form.form"])
    assert.equal(await page.isVisible(hidden), false, `${hidden} is not printed`);
  assert.ok(await page.isVisible("table.table"));
  await shot(page, "components-print");
  await ctx.close();
});
