// The handoff pages: a rep starts a handoff and fills the editor until the live meter shows
// 100 %, saves and submits; the editor without JavaScript; a conflicting edit from two
// browsers; the overview's SVG stakeholder map and SLA timeline; hostile text on the
// overview, editor and history; axe and screenshots of each page in each language.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { URL, LANGS, launch, close, context, logIn, axe, shot, byRole } from "./lib.mjs";

before(launch);
after(close);

const rep = () => byRole("account_executive");
const RUN = Date.now().toString(36); // deal ids unique per run
let created = null; // the id of the handoff the first test makes

async function startHandoff(page, crm, company) {
  await page.goto(`${URL}/handoffs/new`);
  await page.fill("#crm_id", crm);
  await page.fill("#deal_name", `${company} platform`);
  await page.fill("#company", company);
  await page.selectOption("#segment", "enterprise");
  await Promise.all([page.waitForNavigation(), page.click("form.form button[type=submit]")]);
  const m = page.url().match(/\/handoffs\/(\d+)\/edit$/);
  assert.ok(m, `lands in the editor: ${page.url()}`);
  return Number(m[1]);
}

/** Type into every plain field of a section (not the rows). */
async function fillSection(page, id, text) {
  const sel = `#sec-${id} > .field`;
  for (const f of await page.$$(`${sel} input[type=text], ${sel} textarea`)) await f.fill(text);
  for (const f of await page.$$(`${sel} input[type=date]`)) await f.fill("2027-01-15");
  for (const f of await page.$$(`${sel} input[type=number]`)) await f.fill("120000");
}

async function fillRow(page, path, index, values) {
  for (const [key, value] of Object.entries(values)) {
    const id = `${path}.${index}.${key}`;
    const el = page.locator(`[id="${id}"]`);
    const tag = await el.evaluate((e) => e.tagName);
    if (tag === "SELECT") await el.selectOption(value);
    else await el.fill(value);
  }
}

async function addRow(page, path) {
  await page.click(`[id="group-${path}"] [data-add-row]`);
}

test("a rep starts a handoff, fills every section until 100 %, saves and submits", async () => {
  const ctx = await context();
  const page = await logIn(ctx, rep());
  created = await startHandoff(page, `E2E-NEW-${RUN}`, "Pelican Freight");
  assert.match(await page.textContent("[data-live=percent]"), /^\d/);
  for (const s of ["customer", "objectives", "scope", "technical", "implementation", "commercial"]) {
    await fillSection(page, s, `Filled ${s}`);
  }
  const people = [
    { role: "executive_sponsor", name: "Ana Lima", title: "CEO" },
    { role: "champion", name: "Rui Costa", title: "Ops lead" },
    { role: "economic_buyer", name: "Lia Souza", title: "CFO" },
    { role: "technical_lead", name: "Ivo Reis", title: "CTO" },
    { role: "end_users", department: "Dispatch", user_count: "40" },
  ];
  for (let i = 0; i < people.length; i++) {
    if (i > 0) await addRow(page, "stakeholders");
    await fillRow(page, "stakeholders", i, people[i]);
  }
  await fillRow(page, "commitments", 0, { kind: "scope", text: "SSO in phase 1" });
  await fillRow(page, "risks", 0, { category: "budget", text: "Tight budget", severity: "low", mitigation: "Phased rollout" });
  await fillRow(page, "implementation.milestones", 0, { name: "Kickoff", date: "2027-01-20" });
  await page.selectOption('[id="churn_risk"]', "low");
  await page.waitForFunction(() => document.querySelector("[data-live=percent]").textContent === "100.0", null, { timeout: 10000 });
  assert.equal(await page.locator("[data-live=missing] li").count(), 0);
  await shot(page, "editor-filled-en");
  await Promise.all([page.waitForNavigation(), page.click(".editor-actions button[value=save]")]);
  assert.match(page.url(), /\/edit\?saved=1$/);
  assert.equal(await page.inputValue('[id="stakeholders.4.department"]'), "Dispatch");
  await Promise.all([page.waitForNavigation(), page.click(".editor-actions button[value=submit]")]);
  assert.match(page.url(), new RegExp(`/handoffs/${created}\\?moved=1$`));
  assert.match(await page.textContent(".badge.status-submitted"), /\S/);
  assert.deepEqual(ctx.cspViolations, []);
  await ctx.close();
});

test("without JavaScript the editor adds a stakeholder row and saves it", async () => {
  const ctx = await context({ js: false });
  const page = await logIn(ctx, rep());
  const id = await startHandoff(page, `E2E-NOJS-${RUN}`, "Heron Labs");
  const before = await page.locator('[id="group-stakeholders"] [data-row]').count();
  await fillRow(page, "stakeholders", 0, { role: "champion", name: "Kept Value", title: "VP" });
  await Promise.all([page.waitForNavigation(), addRow(page, "stakeholders")]);
  assert.equal(await page.locator('[id="group-stakeholders"] [data-row]').count(), before + 1);
  assert.equal(await page.inputValue('[id="stakeholders.0.name"]'), "Kept Value");
  await fillRow(page, "stakeholders", before, { role: "technical_lead", name: "Second Person", title: "CTO" });
  await Promise.all([page.waitForNavigation(), page.click(".editor-actions button[value=save]")]);
  await page.goto(`${URL}/handoffs/${id}/edit`);
  assert.equal(await page.inputValue(`[id="stakeholders.${before}.name"]`), "Second Person");
  await ctx.close();
});

test("a conflicting edit shows what the other person changed and keeps my values", async () => {
  const a = await context();
  const b = await context();
  const pa = await logIn(a, rep());
  const pb = await logIn(b, rep());
  const id = await startHandoff(pa, `E2E-CONFLICT-${RUN}`, "Ibis Energy");
  await pb.goto(`${URL}/handoffs/${id}/edit`);
  await pa.fill('[id="customer.industry"]', "Shipping");
  await Promise.all([pa.waitForNavigation(), pa.click(".editor-actions button[value=save]")]);
  await pb.fill('[id="customer.why_now"]', "My own reason");
  const [resp] = await Promise.all([pb.waitForNavigation(), pb.click(".editor-actions button[value=save]")]);
  assert.equal(resp.status(), 409);
  assert.ok(await pb.isVisible("#conflict"));
  assert.match(await pb.textContent("#conflict"), /customer\.industry/);
  assert.match(await pb.textContent("#conflict"), /Shipping/);
  assert.equal(await pb.inputValue('[id="customer.why_now"]'), "My own reason");
  await shot(pb, "editor-conflict-en");
  await a.close();
  await b.close();
});

test("hostile text comes back as text on the overview, the editor and the history", async () => {
  const ctx = await context();
  const page = await logIn(ctx, rep());
  let dialogs = 0;
  page.on("dialog", (d) => { dialogs++; d.dismiss(); });
  const id = await startHandoff(page, `E2E-HOSTILE-${RUN}`, "<script>alert(1)</script>");
  await page.fill('[id="customer.industry"]', '"onmouseover=alert(1) x="');
  await page.fill('[id="customer.why_now"]', "javascript:alert(1)");
  await fillRow(page, "stakeholders", 0, { role: "blocker", name: "<script>alert(1)</script>", title: '"onmouseover=' });
  await Promise.all([page.waitForNavigation(), page.click(".editor-actions button[value=save]")]);
  for (const path of [`/handoffs/${id}`, `/handoffs/${id}/edit`, `/handoffs/${id}/history?from=1&to=2`]) {
    await page.goto(URL + path);
    const html = await page.content();
    assert.ok(!html.includes("<script>alert(1)"), `${path} has a raw script`);
    assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"), `${path} shows the text`);
    assert.equal(await page.locator("[onmouseover]").count(), 0);
    await page.mouse.move(300, 300);
  }
  await page.goto(`${URL}/handoffs/${id}`);
  assert.match(await page.textContent("svg.stakeholder-map"), /<script>alert\(1\)/);
  assert.equal(dialogs, 0);
  assert.deepEqual(ctx.cspViolations, []);
  await ctx.close();
});

test("the overview draws the stakeholder map and the SLA timeline as SVG", async () => {
  const ctx = await context();
  const page = await logIn(ctx, byRole("revops"));
  await page.goto(`${URL}/handoffs/1`);
  assert.equal(await page.locator("svg.sla-timeline").count(), 1);
  assert.ok((await page.locator("#sla tbody tr").count()) > 0);
  // a demo handoff with stakeholders
  let found = false;
  for (let i = 1; i <= 30 && !found; i++) {
    await page.goto(`${URL}/handoffs/${i}`);
    found = (await page.locator("svg.stakeholder-map").count()) === 1;
  }
  assert.ok(found, "some demo handoff has a stakeholder map");
  assert.ok((await page.locator("#stakeholders tbody tr").count()) > 0);
  await ctx.close();
});

test("a refused move lists the blockers as links", async () => {
  const ctx = await context();
  const page = await logIn(ctx, rep());
  const id = await startHandoff(page, `E2E-BLOCK-${RUN}`, "Crane Metals");
  await page.goto(`${URL}/handoffs/${id}`);
  const form = page.locator('form.move:has(input[name=to][value=submitted])');
  const [resp] = await Promise.all([page.waitForNavigation(), form.locator("button").click()]);
  assert.equal(resp.status(), 409);
  const links = page.locator(".error-summary a");
  assert.ok((await links.count()) > 0);
  assert.match(await links.first().getAttribute("href"), new RegExp(`/handoffs/${id}/edit#`));
  // the incomplete document names each missing item, linked to its field
  const industry = page.locator(".error-summary a", { hasText: "Missing: Industry" });
  assert.equal(await industry.getAttribute("href"), `/handoffs/${id}/edit#customer.industry`);
  await shot(page, "overview-blocked-en");
  await ctx.close();
});

test("the handoff pages in each language pass axe, with screenshots", async () => {
  assert.ok(created, "the first test made a handoff");
  for (const lang of LANGS) {
    const ctx = await context({ lang });
    const page = await logIn(ctx, rep());
    for (const [name, path] of [
      ["overview", `/handoffs/${created}`],
      ["editor", `/handoffs/${created}/edit`],
      ["history", `/handoffs/${created}/history`],
      ["new", "/handoffs/new"],
    ]) {
      const resp = await page.goto(`${URL}${path}?lang=${lang}`);
      assert.equal(resp.status(), 200, `${path} (${lang})`);
      assert.equal(await page.getAttribute("html", "lang"), lang);
      await axe(page, `${path} (${lang})`);
      await shot(page, `handoff-${name}-${lang}`);
    }
    assert.deepEqual(ctx.cspViolations, []);
    await ctx.close();
  }
  const ctx = await context();
  const page = await logIn(ctx, byRole("revops"));
  await page.goto(`${URL}/handoffs/1`);
  await axe(page, "/handoffs/1 (revops)");
  await shot(page, "handoff-overview-demo-en");
  await page.emulateMedia({ media: "print" });
  await shot(page, "handoff-overview-print-en");
  await ctx.close();
});
