// The work pages in a real browser: the inbox per role, the handoff list, the meeting, the
// CS review (reject with reasons, accept, the override of a blocking gate), the
// administration and the account page; axe on each, each in the four languages with a
// screenshot, the main actions with JavaScript off, hostile text shown as text.
// Run by tests/e2e/run.sh (after web.test.mjs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { request } from "playwright-core";
import { URL, PASSWORD, ADMIN, LANGS, launch, close, context, logIn, axe, shot, byRole } from "./lib.mjs";

const HOSTILE = `"><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'&amp;</textarea>`;

let admin; // the API as RevOps
const state = {};

async function adminApi() {
  const api = await request.newContext({ baseURL: URL });
  const r = await api.post("/api/v1/session", { data: { email: ADMIN, password: PASSWORD } });
  assert.equal(r.status(), 201);
  const csrf = (await r.json()).csrf_token;
  const call = async (method, path, data, want, headers = {}) => {
    const resp = await api.fetch(path, { method, data, headers: { "X-CSRF-Token": csrf, ...headers } });
    if (want) assert.equal(resp.status(), want, `${method} ${path}: ${await resp.text()}`);
    return resp.status() === 204 ? null : resp.json();
  };
  return { api, call };
}

/** A handoff document for the rep, scheduled two hours ago, without a CSM. */
function documentFor(rep, crmId, change = () => {}) {
  const doc = JSON.parse(readFileSync("tests/data/evaluate/acme-complete.json", "utf8"));
  doc.deal.crm_id = crmId;
  doc.deal.owner = { name: rep.name, email: rep.email };
  delete doc.team.csm;
  delete doc.review;
  const two = new Date(Date.now() - 2 * 3600 * 1000);
  two.setUTCSeconds(0, 0);
  doc.meeting.scheduled_for = two.toISOString().replace(".000Z", "Z");
  delete doc.meeting.held_at;
  doc.meeting.attendees = [];
  doc.meeting.segments_covered = [];
  change(doc);
  return doc;
}

async function noScriptRan(page) {
  assert.equal(await page.evaluate(() => window.__pwned), undefined, "a hostile script ran");
}

/** Screenshot and axe a page in each language (?lang= for that request only). */
async function everyLanguage(page, path, name) {
  for (const lang of LANGS) {
    const resp = await page.goto(`${URL}${path}${path.includes("?") ? "&" : "?"}lang=${lang}`);
    assert.ok(resp.status() < 400, `${path} (${lang}): ${resp.status()}`);
    assert.equal(await page.getAttribute("html", "lang"), lang);
    await axe(page, `${path} (${lang})`);
    await shot(page, `${name}-${lang}`);
  }
}

before(async () => {
  await launch();
  admin = await adminApi();
  // earlier tests saved languages in some profiles: back to the browser's
  const users = (await admin.call("GET", "/api/v1/users", undefined, 200)).items;
  for (const u of users) {
    if (u.lang) await admin.call("PATCH", `/api/v1/users/${u.id}`, { lang: "" }, 200);
  }
  state.users = users;
  state.rep = byRole("account_executive");
  state.csManager = byRole("cs_manager");
  const mgr = users.find((u) => u.email === state.csManager.email);
  const csm = users.find((u) => u.role === "csm" && u.active && u.team_id && u.team_id === mgr.team_id);
  assert.ok(csm, "a CSM in the CS manager's team");
  state.csm = csm;
  const a = await admin.call("POST", "/api/v1/handoffs", documentFor(state.rep, "E2E-WF-A"), 201);
  state.a = a.id;
});
after(async () => {
  if (admin) await admin.api.dispose();
  await close();
});

test("the rep sees their draft to fill in the inbox, in each language", async () => {
  const ctx = await context();
  const page = await logIn(ctx, state.rep);
  const link = page.locator(`#inbox-to_fill a[href="/handoffs/${state.a}"]`);
  assert.equal(await link.count(), 1, "the draft is in 'to fill'");
  assert.ok(await page.isVisible(`#inbox-to_fill a[href="/handoffs/${state.a}/edit"]`));
  // the navigation counts what waits
  assert.match(await page.textContent(".sidenav a[href='/'] .counter"), /^\d+$/);
  await everyLanguage(page, "/", "inbox-rep");
  assert.deepEqual(ctx.cspViolations, []);
  await ctx.close();
});

test("submitted without a CSM, the handoff is in the CS manager's queue", async () => {
  await admin.call("POST", `/api/v1/handoffs/${state.a}/transitions`, { to: "submitted" }, 200);
  const ctx = await context();
  const page = await logIn(ctx, state.csManager);
  assert.equal(await page.locator(`#inbox-queue a[href="/handoffs/${state.a}"]`).count(), 1);
  await everyLanguage(page, "/", "inbox-cs-manager");
  await ctx.close();
});

test("the handoff list filters, searches and pages", async () => {
  const ctx = await context();
  const page = await logIn(ctx, state.csManager);
  await page.goto(`${URL}/handoffs`);
  await page.fill("#f-q", "acme LOG");
  await page.selectOption("#f-status", "submitted");
  await Promise.all([page.waitForNavigation(), page.click(".filters button[type=submit]")]);
  assert.ok(page.url().includes("q=acme+LOG"));
  assert.equal(await page.locator(`tbody a[href="/handoffs/${state.a}"]`).count(), 1);
  assert.equal(await page.textContent(`tbody tr:has(a[href="/handoffs/${state.a}"]) .badge.status-submitted`), "Submitted");
  await page.goto(`${URL}/handoffs?unassigned=1`);
  assert.equal(await page.locator(`tbody a[href="/handoffs/${state.a}"]`).count(), 1);
  await page.goto(`${URL}/handoffs?q=${encodeURIComponent(HOSTILE)}`);
  await noScriptRan(page);
  assert.equal(await page.inputValue("#f-q"), HOSTILE);
  await everyLanguage(page, "/handoffs", "handoffs-list");
  await ctx.close();
});

test("the CS manager assigns a CSM of the team on the review page", async () => {
  const ctx = await context();
  const page = await logIn(ctx, state.csManager);
  await page.goto(`${URL}/handoffs/${state.a}/review`);
  await page.check(`#csm-${state.csm.id}`);
  await Promise.all([page.waitForNavigation(), page.click("form:has(#csm-auto) button[type=submit]")]);
  assert.ok(page.url().endsWith("done=assigned"), page.url());
  assert.ok(await page.isVisible(".notice-success"));
  await ctx.close();
});

test("the meeting page records attendance, segments, questions, notes and a tick", async () => {
  const ctx = await context();
  const page = await logIn(ctx, state.rep);
  await page.goto(`${URL}/handoffs/${state.a}/meeting`);
  await axe(page, "/meeting");
  // the required roles are listed, missing until someone of that role attends
  assert.ok((await page.locator(".required-roles li").count()) > 0);
  await page.fill("#att_name_0", state.rep.name);
  await page.selectOption("#att_role_0", "account_executive");
  await page.click("button[data-add-row=att]"); // in place, with JavaScript
  await page.fill("#att_name_1", HOSTILE);
  await page.selectOption("#att_role_1", "csm");
  await page.click("button[data-add-row=att]");
  await page.fill("#att_name_2", "Dana CS");
  await page.selectOption("#att_role_2", "cs_manager");
  for (const seg of ["customer_overview", "stakeholders", "objectives", "scope_commitments", "implementation", "risks", "questions_next_steps"])
    await page.check(`#covered-${seg}`);
  await page.fill("#questions_asked", "6");
  await page.fill("#questions_answered", "5");
  await page.fill("#notes", `**Champion** is Ana.\n\n- first\n- second\n\n${HOSTILE} [x](javascript:alert(1))`);
  await page.fill("#ai_owner_0", "Ana");
  await page.fill("#ai_text_0", "Send the introduction");
  await page.fill("#ai_due_0", "2026-12-24");
  await Promise.all([page.waitForNavigation(), page.click("button[name=action][value=save]")]);
  assert.ok(page.url().endsWith("done=saved"), page.url());
  await noScriptRan(page);
  assert.equal(await page.textContent(".markdown strong"), "Champion");
  const html = await page.innerHTML(".markdown");
  assert.ok(!html.includes("<script") && !html.includes("onerror") && !html.includes("javascript:"), html);
  assert.equal(await page.inputValue("#att_name_1"), HOSTILE);
  assert.equal(await page.locator(".required-roles .tone-bad").count(), 0, "every required role attended");
  assert.ok(await page.isChecked("#covered-risks"));
  assert.equal(await page.inputValue("#questions_answered"), "5");
  // a manual item of the meeting checklist, the rep's to tick
  const item = page.locator("li:has(input[name=item][value='meeting.recording_shared'])");
  await Promise.all([page.waitForNavigation(), item.locator("button").click()]);
  assert.ok(page.url().endsWith("done=ticked"), page.url() + " " + (await page.textContent("main")).slice(0, 400));
  assert.equal(await page.locator("li:has(input[name=item][value='meeting.recording_shared']) .tone-ok").count(), 1);
  await everyLanguage(page, `/handoffs/${state.a}/meeting`, "meeting");
  // schedule, then hold the meeting, from this page
  await page.goto(`${URL}/handoffs/${state.a}/meeting`);
  await Promise.all([page.waitForNavigation(), page.click("form:has(input[value=schedule]) button")]);
  assert.ok(page.url().endsWith("done=scheduled"), await page.textContent("main"));
  await Promise.all([page.waitForNavigation(), page.click("form:has(#held_at) button")]);
  assert.ok(page.url().endsWith("done=held"), await page.textContent("main"));
  assert.deepEqual(ctx.cspViolations, []);
  await ctx.close();
});

test("a stale save is shown, not lost", async () => {
  const ctx = await context();
  const page = await logIn(ctx, state.rep);
  await page.goto(`${URL}/handoffs/${state.a}/meeting`);
  // someone else changes the handoff meanwhile
  const cur = await admin.call("GET", `/api/v1/handoffs/${state.a}`, undefined, 200);
  const why = `changed by someone else at ${Date.now()}`;
  await admin.call("PATCH", `/api/v1/handoffs/${state.a}/document`, JSON.stringify({ customer: { why_now: why } }), 200, {
    "If-Match": `"${cur.version}"`,
    "Content-Type": "application/merge-patch+json",
  });
  await page.fill("#notes", "my careful notes");
  const [resp] = await Promise.all([page.waitForNavigation(), page.click("button[name=action][value=save]")]);
  assert.equal(resp.status(), 409);
  assert.ok(await page.isVisible(".error-summary"));
  assert.equal(await page.inputValue("#notes"), "my careful notes");
  await shot(page, "meeting-conflict-en");
  await ctx.close();
});

test("the review page rejects with reasons; the rep sees it to correct; then it is accepted", async () => {
  const ctx = await context();
  const page = await logIn(ctx, state.csManager);
  assert.equal(await page.locator(`#inbox-to_review a[href="/handoffs/${state.a}"]`).count(), 1);
  await page.goto(`${URL}/handoffs/${state.a}/review`);
  await axe(page, "/review");
  // no reason for a rejection: the error says so at the top and at the field
  await page.check("#decision-rejected");
  const [bad] = await Promise.all([page.waitForNavigation(), page.click("form:has(#decision-accepted) button[type=submit]")]);
  assert.equal(bad.status(), 422);
  assert.equal(await page.getAttribute(".error-summary a", "href"), "#reason-info_gaps");
  await page.check("#decision-rejected");
  await page.check("#reason-info_gaps");
  await page.check("#reason-undocumented_commitments");
  await page.fill("#comment", `Please document the SSO promise. ${HOSTILE}`);
  await Promise.all([page.waitForNavigation(), page.click("form:has(#decision-accepted) button[type=submit]")]);
  assert.ok(page.url().endsWith("done=decided"), await page.textContent("main"));
  await noScriptRan(page);
  const last = page.locator(".review-history li.card").first();
  assert.equal(await last.locator(".badge").textContent(), "Rejected");
  assert.deepEqual(await last.locator(".reason-list li").allTextContents(), ["Information gaps", "Undocumented commitments"]);
  assert.ok((await last.locator(".comment").textContent()).includes(HOSTILE));
  await everyLanguage(page, `/handoffs/${state.a}/review`, "review");

  const rctx = await context();
  const rep = await logIn(rctx, state.rep);
  const row = rep.locator(`#inbox-to_fill tr:has(a[href="/handoffs/${state.a}"])`);
  assert.equal(await row.locator(".badge.status-rejected").count(), 1, "rejected, to correct");
  await rctx.close();

  // corrected and resubmitted: back to the reviewer, who accepts
  await admin.call("POST", `/api/v1/handoffs/${state.a}/transitions`, { to: "submitted" }, 200);
  await page.goto(`${URL}/handoffs/${state.a}/review`);
  await page.check("#decision-accepted");
  await Promise.all([page.waitForNavigation(), page.click("form:has(#decision-accepted) button[type=submit]")]);
  assert.ok(page.url().endsWith("done=decided"), await page.textContent("main"));
  assert.equal(await page.textContent(".review-history li.card .badge"), "Accepted");
  await ctx.close();
});

test("a blocked acceptance, then an override with its reason, kept in the history", async () => {
  const doc = documentFor(state.rep, "E2E-WF-B", (d) => {
    d.deal.payment.first_payment_received = false;
  });
  const b = (await admin.call("POST", "/api/v1/handoffs", doc, 201)).id;
  await admin.call("POST", `/api/v1/handoffs/${b}/assignment`, { csm_email: state.csm.email }, 200);
  for (const to of ["submitted", "scheduled", "held"])
    await admin.call("POST", `/api/v1/handoffs/${b}/transitions`, { to, override_reason: "e2e: payment arrives later" }, 200);
  const ctx = await context({ js: false });
  const page = await logIn(ctx, state.csManager);
  await page.goto(`${URL}/handoffs/${b}/review`);
  assert.ok(await page.isVisible(".notice-warning li"), "the blockers are listed");
  await page.check("#decision-accepted");
  const [blocked] = await Promise.all([page.waitForNavigation(), page.click("form:has(#decision-accepted) button[type=submit]")]);
  assert.equal(blocked.status(), 409);
  assert.equal(await page.getAttribute(".error-summary a", "href"), "#override_reason");
  await shot(page, "review-blocked-en");
  await page.check("#decision-accepted");
  await page.fill("#override_reason", "Finance confirmed the wire for Monday");
  await Promise.all([page.waitForNavigation(), page.click("form:has(#decision-accepted) button[type=submit]")]);
  assert.ok(page.url().endsWith("done=decided"), await page.textContent("main"));
  const history = await admin.call("GET", `/api/v1/handoffs/${b}/history`, undefined, 200);
  const t = history.transitions.find((x) => x.to === "accepted");
  assert.ok(t, JSON.stringify(history.transitions));
  assert.equal(t.override_reason ?? t.override, "Finance confirmed the wire for Monday", JSON.stringify(t));
  await ctx.close();
});

test("the pages' main actions work without JavaScript", async () => {
  const ctx = await context({ js: false });
  const page = await logIn(ctx, state.rep);
  const doc = documentFor(state.rep, "E2E-WF-C");
  const c = (await admin.call("POST", "/api/v1/handoffs", doc, 201)).id;
  await page.goto(`${URL}/handoffs/${c}/meeting`);
  // "add a row" sends the form and gets it back with one more row, nothing lost
  await page.fill("#att_name_0", "Ana");
  await page.selectOption("#att_role_0", "account_executive");
  await page.fill("#notes", "kept");
  await Promise.all([page.waitForNavigation(), page.click("button[data-add-row=att]")]);
  assert.equal(await page.inputValue("#att_name_0"), "Ana");
  assert.equal(await page.inputValue("#att_name_1"), "");
  assert.equal(await page.inputValue("#notes"), "kept");
  await page.fill("#att_name_1", "Rui");
  await page.selectOption("#att_role_1", "csm");
  await Promise.all([page.waitForNavigation(), page.click("button[data-add-row=ai]")]);
  await page.fill("#ai_owner_1", "Rui");
  await page.fill("#ai_text_1", "Call the champion");
  await Promise.all([page.waitForNavigation(), page.click("button[name=action][value=save]")]);
  assert.ok(page.url().endsWith("done=saved"), await page.textContent("main"));
  assert.equal(await page.inputValue("#att_name_1"), "Rui");
  assert.equal(await page.inputValue("#ai_text_1"), "Call the champion");
  await shot(page, "meeting-nojs-en");
  // the list's filters and paging are plain GET forms
  await page.goto(`${URL}/handoffs`);
  await page.check("input[name=overdue]");
  await Promise.all([page.waitForNavigation(), page.click(".filters button[type=submit]")]);
  assert.ok(page.url().includes("overdue=1"));
  // the account page saves the language
  await page.goto(`${URL}/account`);
  await page.selectOption("#account-lang", "es");
  await Promise.all([page.waitForNavigation(), page.click("form:has(#account-lang) button")]);
  assert.ok(page.url().endsWith("/account?done=1"));
  assert.equal(await page.getAttribute("html", "lang"), "es");
  await ctx.close();
  // saved in the profile: a new browser without the cookie gets it too
  const fresh = await context({ lang: "en" });
  const again = await logIn(fresh, state.rep);
  assert.equal(await again.getAttribute("html", "lang"), "es");
  await everyLanguage(again, "/account", "account");
  await again.goto(`${URL}/account`);
  await again.selectOption("#account-lang", "en");
  await Promise.all([again.waitForNavigation(), again.click("form:has(#account-lang) button")]);
  await fresh.close();
});

test("RevOps creates a user and a token (the secret shown once); others cannot open admin", { timeout: 300000 }, async () => {
  const ctx = await context();
  const page = await logIn(ctx, byRole("revops"));
  await page.goto(`${URL}/admin`);
  await axe(page, "/admin users");
  await page.fill("#email", "new.csm@e2e.example");
  await page.fill("#name", HOSTILE);
  await page.selectOption("#role", "csm");
  await page.check("#segments-smb");
  await page.fill("#capacity", "20");
  await page.selectOption("#lang", "pt-BR");
  await page.fill("#password", "a-long-password-1");
  await Promise.all([page.waitForNavigation(), page.click("form:has(#email) button[type=submit]")]);
  assert.ok(page.url().includes("done=user"), await page.textContent("main"));
  await noScriptRan(page);
  const row = page.locator("tr:has-text('new.csm@e2e.example')");
  assert.equal(await row.locator("th a").textContent(), HOSTILE);
  // the user logs in and the page is in their language
  const uctx = await context({ lang: "en" });
  const upage = await logIn(uctx, { email: "new.csm@e2e.example" }, { password: "a-long-password-1" });
  assert.equal(await upage.getAttribute("html", "lang"), "pt-BR");
  await noScriptRan(upage);
  await uctx.close();
  // an existing user's error: the same e-mail again
  await page.fill("#email", "new.csm@e2e.example");
  await page.fill("#name", "Twice");
  const [dup] = await Promise.all([page.waitForNavigation(), page.click("form:has(#email) button[type=submit]")]);
  assert.equal(dup.status(), 409);
  assert.ok(await page.isVisible(".error-summary"));
  await shot(page, "admin-user-error-en");

  await page.goto(`${URL}/admin?tab=tokens`);
  await page.fill("#token_name", "crm gate");
  await page.check("#scope-gate");
  const [created] = await Promise.all([page.waitForNavigation(), page.click("form:has(#token_name) button[type=submit]")]);
  assert.equal(created.status(), 201);
  const secret = await page.textContent("#token-secret");
  assert.match(secret, /^hf_[A-Za-z0-9]+_[A-Za-z0-9_-]+$/);
  await shot(page, "admin-token-created-en");
  // the token works, and is never shown again
  const gate = await fetch(`${URL}/api/v1/me`, { headers: { Authorization: `Bearer ${secret}` } });
  assert.equal(gate.status, 200);
  await page.goto(`${URL}/admin?tab=tokens`);
  assert.ok(!(await page.content()).includes(secret));
  // revoke it
  const tok = page.locator("tr:has-text('crm gate')");
  await Promise.all([page.waitForNavigation(), tok.locator("button").click()]);
  assert.ok(page.url().includes("done=revoked"));
  const after = await fetch(`${URL}/api/v1/me`, { headers: { Authorization: `Bearer ${secret}` } });
  assert.equal(after.status, 401);
  for (const tab of ["users", "teams", "tokens", "protocols"]) await everyLanguage(page, `/admin?tab=${tab}`, `admin-${tab}`);
  await page.goto(`${URL}/admin/users/${state.csm.id}`);
  await axe(page, "/admin/users/{id}");
  await shot(page, "admin-user-edit-en");
  await ctx.close();

  // without JavaScript (and so without axe, which needs it): a team is created
  const nojs = await context({ js: false });
  const np = await logIn(nojs, byRole("revops"));
  await np.goto(`${URL}/admin?tab=teams`);
  await np.fill("#team_name", "E2E onboarding squad");
  await np.selectOption("#kind", "cs");
  await Promise.all([np.waitForNavigation(), np.click("form:has(#team_name) button[type=submit]")]);
  assert.ok(np.url().includes("done=team"), await np.textContent("main"));
  assert.equal(await np.locator("th:text('E2E onboarding squad')").count(), 1);
  await nojs.close();

  const other = await context();
  const p = await logIn(other, state.csManager);
  const resp = await p.goto(`${URL}/admin`);
  assert.equal(resp.status(), 403);
  assert.equal(await p.locator(".sidenav a[href='/admin']").count(), 0);
  await other.close();
});
