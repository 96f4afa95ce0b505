// The whole protocol in the browser, as the people who run it: a rep starts a handoff from
// nothing and fills it until the live meter says 100 %, saves and submits it; the CS manager
// assigns a CSM; the rep schedules and holds the meeting on the meeting page; the CS
// manager accepts it on the review page. Every step is a page; the API is only read, to
// know which CSMs are in the CS manager's team (the page lists every CSM). Run by
// tests/e2e/run.sh (after web.test.mjs, handoff.test.mjs and workflow.test.mjs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { request } from "playwright-core";
import { URL, PASSWORD, ADMIN, launch, close, context, logIn, shot, byRole } from "./lib.mjs";

before(launch);
after(close);

const RUN = Date.now().toString(36);

async function fillSection(page, id, text) {
  const sel = `#sec-${id} > .field`;
  for (const f of await page.$$(`${sel} input[type=text], ${sel} textarea`)) await f.fill(text);
  for (const f of await page.$$(`${sel} input[type=date]`)) await f.fill("2027-01-15");
  for (const f of await page.$$(`${sel} input[type=number]`)) await f.fill("120000");
}

async function fillRow(page, path, index, values) {
  for (const [key, value] of Object.entries(values)) {
    const el = page.locator(`[id="${path}.${index}.${key}"]`);
    if ((await el.evaluate((e) => e.tagName)) === "SELECT") await el.selectOption(value);
    else await el.fill(value);
  }
}

function localNow(offsetMinutes) {
  const d = new Date(Date.now() + offsetMinutes * 60000);
  return d.toISOString().slice(0, 16); // datetime-local, UTC as the page says
}

test("a rep completes a handoff from empty; CS assigns, the meeting is held, CS accepts", { timeout: 240000 }, async () => {
  const rep = byRole("account_executive");
  const csManager = byRole("cs_manager");

  // ---- the rep: from nothing to a complete, submitted handoff ----
  const rctx = await context();
  const page = await logIn(rctx, rep);
  await page.goto(`${URL}/handoffs/new`);
  await page.fill("#crm_id", `E2E-FLOW-${RUN}`);
  await page.fill("#deal_name", "Osprey Logistics platform");
  await page.fill("#company", "Osprey Logistics");
  await page.selectOption("#segment", "enterprise");
  await Promise.all([page.waitForNavigation(), page.click("form.form button[type=submit]")]);
  const m = page.url().match(/\/handoffs\/(\d+)\/edit$/);
  assert.ok(m, page.url());
  const id = Number(m[1]);

  for (const s of ["customer", "objectives", "scope", "technical", "implementation", "commercial"])
    await fillSection(page, s, `Osprey ${s}`);
  const people = [
    { role: "executive_sponsor", name: "Ana Lima", title: "CEO" },
    { role: "champion", name: "Rui Costa", title: "Ops lead" },
    { role: "economic_buyer", name: "Lia Souza", title: "CFO" },
    { role: "technical_lead", name: "Ivo Reis", title: "CTO" },
    { role: "end_users", department: "Dispatch", user_count: "40" },
  ];
  for (let i = 0; i < people.length; i++) {
    if (i > 0) await page.click('[id="group-stakeholders"] [data-add-row]');
    await fillRow(page, "stakeholders", i, people[i]);
  }
  await fillRow(page, "commitments", 0, { kind: "scope", text: "SSO in phase 1" });
  await page.check('[id="commitments.0.in_contract"]');
  await fillRow(page, "risks", 0, { category: "budget", text: "Tight budget", severity: "low", mitigation: "Phased rollout" });
  await fillRow(page, "implementation.milestones", 0, { name: "Kickoff", date: "2027-01-20" });
  await page.selectOption('[id="churn_risk"]', "low");
  // what the gate needs besides the document: the contract, the payment, the systems
  await page.selectOption('[id="deal.contract_status"]', "fully_executed");
  await page.fill('[id="deal.payment.terms"]', "Net 30, upfront");
  await page.selectOption('[id="deal.payment.schedule"]', "upfront");
  await page.check('[id="deal.payment.first_payment_received"]');
  for (const r of ["crm_updated", "finance_record", "cs_platform_account", "support_entitled"])
    await page.check(`[id="readiness.${r}"]`);
  // saved, the editor's meter (computed by the server, like the live one) says complete
  await Promise.all([page.waitForNavigation(), page.click(".editor-actions button[value=save]")]);
  assert.equal(await page.textContent("[data-live=percent]"), "100.0");
  await Promise.all([page.waitForNavigation(), page.click(".editor-actions button[value=submit]")]);
  assert.match(page.url(), new RegExp(`/handoffs/${id}\\?moved=1$`), await page.textContent("main"));
  await shot(page, "flow-1-submitted-en");

  // ---- the CS manager: the handoff waits in the queue; assign a CSM by capacity ----
  const cctx = await context();
  const cs = await logIn(cctx, csManager);
  assert.equal(await cs.locator(`a[href="/handoffs/${id}"]`).count() > 0, true, "in the CS manager's inbox");
  // a CSM of this manager's team with room (a CS manager reviews for their own team)
  const api = await request.newContext({ baseURL: URL });
  assert.equal((await api.post("/api/v1/session", { data: { email: ADMIN, password: PASSWORD } })).status(), 201);
  const users = (await (await api.get("/api/v1/users")).json()).items;
  const team = users.find((u) => u.email === csManager.email).team_id;
  const csms = (await (await api.get("/api/v1/csms")).json()).items;
  const pick = csms.find((c) => c.team_id === team && !c.at_capacity && c.active);
  assert.ok(pick, "the CS manager's team has a CSM with room");
  await api.dispose();
  await cs.goto(`${URL}/handoffs/${id}/review`);
  await cs.check(`#csm-${pick.id}`);
  await Promise.all([cs.waitForNavigation(), cs.click("form:has(#csm-auto) button[type=submit]")]);
  assert.ok(cs.url().endsWith("done=assigned"), await cs.textContent("main"));

  // ---- the rep: schedule the meeting, record it, mark it held ----
  await page.goto(`${URL}/handoffs/${id}/meeting`);
  await page.fill("#scheduled_for", localNow(-90));
  await page.fill("#duration_minutes", "45");
  await page.fill("#att_name_0", rep.name);
  await page.selectOption("#att_role_0", "account_executive");
  await page.click("button[data-add-row=att]");
  await page.fill("#att_name_1", "The CSM");
  await page.selectOption("#att_role_1", "csm");
  for (const seg of ["customer_overview", "stakeholders", "objectives", "scope_commitments", "implementation", "risks", "questions_next_steps"])
    await page.check(`#covered-${seg}`);
  await page.fill("#questions_asked", "4");
  await page.fill("#questions_answered", "4");
  await page.fill("#notes", "Kickoff agreed for **next Monday**.");
  await Promise.all([page.waitForNavigation(), page.click("button[name=action][value=save]")]);
  assert.ok(page.url().endsWith("done=saved"), await page.textContent("main"));
  await Promise.all([page.waitForNavigation(), page.click("form:has(input[value=schedule]) button")]);
  assert.ok(page.url().endsWith("done=scheduled"), await page.textContent("main"));
  await page.fill("#held_at", localNow(-30));
  await Promise.all([page.waitForNavigation(), page.click("form:has(#held_at) button")]);
  assert.ok(page.url().endsWith("done=held"), await page.textContent("main"));

  // ---- the CS manager accepts: the gate is clear, no override needed ----
  await cs.goto(`${URL}/handoffs/${id}/review`);
  await cs.check("#decision-accepted");
  await Promise.all([cs.waitForNavigation(), cs.click("form:has(#decision-accepted) button[type=submit]")]);
  assert.ok(cs.url().endsWith("done=decided"), await cs.textContent("main"));
  await cs.goto(`${URL}/handoffs/${id}`);
  assert.equal(await cs.locator(".badge.status-accepted").count() > 0, true, await cs.textContent("main"));
  await shot(cs, "flow-2-accepted-en");
  assert.deepEqual(rctx.cspViolations, []);
  assert.deepEqual(cctx.cspViolations, []);
  await rctx.close();
  await cctx.close();
});
