// Shared helpers of the end-to-end tests: the browser, log-ins, axe, screenshots.
// tests/e2e/run.sh sets the environment (server URL, log-ins, screenshot folder).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);

export const URL = process.env.HANDOFF_URL;
export const PASSWORD = process.env.HANDOFF_PASSWORD;
export const SHOTS = process.env.HANDOFF_SCREENSHOTS;
export const ADMIN = process.env.HANDOFF_ADMIN;
if (!URL || !PASSWORD || !process.env.HANDOFF_LOGINS) {
  throw new Error("run the end-to-end tests with tests/e2e/run.sh");
}

/** One person per role: [{role, email, name}] from scripts/demo-logins.sh. */
export const LOGINS = readFileSync(process.env.HANDOFF_LOGINS, "utf8")
  .trim()
  .split("\n")
  .map((line) => {
    const [role, email, ...name] = line.split(" ");
    return { role, email, name: name.join(" ") };
  });

export const LANGS = ["en", "pt-BR", "es", "id"];

/** What each language calls a few things, to see that a page is in it. */
export const WORDS = {
  en: { login: "Log in to Handoff", inbox: "Inbox", wrong: "The e-mail address or the password is wrong", notFound: "Page not found", password: "Change your password", problem: "There is a problem" },
  "pt-BR": { login: "Entrar no Handoff", inbox: "Caixa de entrada", wrong: "O endereço de e-mail ou a senha está errado", notFound: "Página não encontrada", password: "Altere sua senha", problem: "Há um problema" },
  es: { login: "Iniciar sesión en Handoff", inbox: "Bandeja de entrada", wrong: "El correo electrónico o la contraseña no son correctos", notFound: "Página no encontrada", password: "Cambie su contraseña", problem: "Hay un problema" },
  id: { login: "Masuk ke Handoff", inbox: "Kotak masuk", wrong: "Alamat email atau kata sandi salah", notFound: "Halaman tidak ditemukan", password: "Ubah kata sandi Anda", problem: "Ada masalah" },
};

export const ROLE_LABELS = {
  account_executive: "Account executive",
  sales_manager: "Sales manager",
  csm: "Customer success manager",
  cs_manager: "CS manager",
  revops: "RevOps",
  viewer: "Viewer",
};

let browser;

export async function launch() {
  browser = await chromium.launch({
    executablePath: process.env.HANDOFF_CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-default-apps",
      "--disable-sync",
      "--no-first-run",
      "--disable-dev-shm-usage",
    ],
  });
  return browser;
}

export async function close() {
  if (browser) await browser.close();
}

/**
 * A new browser context (its own cookies). Options: js (default true), lang (the
 * Accept-Language), dark, mobile.
 */
export async function context({ js = true, lang = "en", dark = false, mobile = false } = {}) {
  const ctx = await browser.newContext({
    javaScriptEnabled: js,
    locale: lang,
    extraHTTPHeaders: { "Accept-Language": lang },
    colorScheme: dark ? "dark" : "light",
    viewport: mobile ? { width: 390, height: 844 } : { width: 1280, height: 800 },
    deviceScaleFactor: 1,
  });
  ctx.cspViolations = [];
  ctx.on("page", (page) => watch(ctx, page));
  return ctx;
}

/** Collect console errors (a CSP violation is one) so a test can assert there are none. */
function watch(ctx, page) {
  page.on("console", (msg) => {
    if (msg.type() === "error") ctx.cspViolations.push(msg.text());
  });
  page.on("pageerror", (err) => ctx.cspViolations.push(String(err)));
}

/** Log in through the form; returns the page, now on the inbox. */
export async function logIn(ctx, who, { password = PASSWORD } = {}) {
  const page = await ctx.newPage();
  await page.goto(`${URL}/login`);
  await page.fill("#email", who.email);
  await page.fill("#password", password);
  await Promise.all([page.waitForNavigation(), page.click("form.form button[type=submit]")]);
  return page;
}

const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/**
 * Run axe-core on the page; fail on serious or critical violations. axe is evaluated
 * through the DevTools protocol, which the page's Content-Security-Policy does not block.
 */
export async function axe(page, what) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== "undefined");
  if (!hasAxe) await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(" ") + ": " + n.failureSummary).slice(0, 3),
    }));
  });
  const bad = result.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad, [], `axe on ${what}: ${JSON.stringify(bad, null, 1)}`);
  return result;
}

/** Save a full-page screenshot as SHOTS/NAME.png. */
export async function shot(page, name) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

export function byRole(role) {
  const who = LOGINS.find((l) => l.role === role);
  assert.ok(who, `a log-in for ${role}`);
  return who;
}
