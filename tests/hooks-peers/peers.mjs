// Cross-checks the webhook signatures of src/integrations/ against the vendors' own
// reference code from npm, in both directions, through build/tests/hook_sign:
//
//  - HubSpot: @hubspot/api-client's Signature (isValid / getSignature, v1, v2, v3);
//  - Standard Webhooks: the `standardwebhooks` package's Webhook (sign / verify).
//
//   node tests/hooks-peers/peers.mjs build/tests/hook_sign
//
// TAP output; exit status 1 when a check fails. Run by tests/cli/test_hook_peers.sh.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { Signature } = require("@hubspot/api-client");
const { Webhook } = require("standardwebhooks");

const bin = process.argv[2];
if (!bin) {
  console.error("usage: node peers.mjs HOOK_SIGN");
  process.exit(64);
}

let n = 0;
let failed = 0;
function check(name, cond, detail) {
  n++;
  if (cond) {
    console.log(`ok ${n} - ${name}`);
  } else {
    failed++;
    console.log(`not ok ${n} - ${name}`);
    if (detail) console.log(`#   ${String(detail).split("\n").join("\n#   ")}`);
  }
}

// hook_sign with the body on standard input: {status, out, err}
function ours(args, body) {
  try {
    const out = execFileSync(bin, args, { input: Buffer.from(body, "utf8"), stdio: "pipe" });
    return { status: 0, out: out.toString().trim(), err: "" };
  } catch (e) {
    return { status: e.status, out: String(e.stdout || ""), err: String(e.stderr || "") };
  }
}

// The URI as HubSpot signs it: INTEGRATIONS.md's escapes decoded (written here
// independently of the C code).
function hubspotDecode(uri) {
  const table = { "%3A": ":", "%2F": "/", "%3F": "?", "%40": "@", "%21": "!", "%24": "$",
    "%27": "'", "%28": "(", "%29": ")", "%2A": "*", "%2C": ",", "%3B": ";" };
  return uri.replace(/%[0-9A-Fa-f]{2}/g, (m) => table[m.toUpperCase()] ?? m);
}

const secret = "7e3f1c2a-9b8d-4e6f-a1b2-c3d4e5f60718";
const bodies = [
  '[{"objectId":697680835,"propertyName":"dealstage","propertyValue":"closedwon","changeSource":"CRM_UI","eventId":1228532628,"subscriptionId":92894,"portalId":5799819,"appId":186886,"occurredAt":1556105815815,"subscriptionType":"deal.propertyChange","attemptNumber":0}]',
  '[{"dealname":"Açaí Ltda — São Paulo 日本","note":"quotes \\" and \\\\ and\\nnewlines"}]',
  "",
];
const uris = [
  "https://hooks.example.com/hooks/hubspot/ep-1",
  "https://hooks.example.com/hooks/hubspot/ep-1?portal=5799819&next=https%3A%2F%2Fapp.example%2Fdeals%3Fid%3D1%40x",
  "https://hooks.example.com/hooks/hubspot/ep%2A1?q=%28a%29%2C%21%24%27%3B%20%25",
];

// ---- HubSpot v3 ----
for (const [bi, body] of bodies.entries()) {
  for (const [ui, uri] of uris.entries()) {
    const ts = Date.now();
    const now = Math.floor(ts / 1000);
    const tag = `body ${bi}, uri ${ui}`;
    const signed = ours(["hubspot-sign-v3", secret, "POST", uri, String(ts)], body);
    check(`v3: hook_sign signs (${tag})`, signed.status === 0, signed.err);
    let valid = false, why = "";
    try {
      valid = Signature.isValid({ signatureVersion: "v3", signature: signed.out, clientSecret: secret,
        requestBody: body, url: hubspotDecode(uri), method: "POST", timestamp: ts });
    } catch (e) { why = e.message; }
    check(`v3: @hubspot/api-client accepts our signature (${tag})`, valid, why || signed.out);

    const theirs = Signature.getSignature("POST", "v3", { clientSecret: secret, requestBody: body,
      url: hubspotDecode(uri), timestamp: ts });
    const verified = ours(["hubspot-verify-v3", secret, "POST", uri, String(ts), theirs, String(now)], body);
    check(`v3: we accept @hubspot/api-client's signature (${tag})`, verified.status === 0, verified.err);
    const tampered = ours(["hubspot-verify-v3", secret, "POST", uri, String(ts), theirs, String(now)], body + " ");
    check(`v3: we refuse it for another body (${tag})`, tampered.status === 1, tampered.err);
  }
}
{
  // an old timestamp: both sides refuse
  const ts = Date.now() - 6 * 60 * 1000;
  const body = bodies[0];
  const theirs = Signature.getSignature("POST", "v3", { clientSecret: secret, requestBody: body,
    url: uris[0], timestamp: ts });
  const r = ours(["hubspot-verify-v3", secret, "POST", uris[0], String(ts), theirs,
    String(Math.floor(Date.now() / 1000))], body);
  check("v3: we refuse a 6-minute-old timestamp", r.status === 1 && /window/.test(r.err), r.err);
  let threw = false;
  try {
    Signature.isValid({ signatureVersion: "v3", signature: theirs, clientSecret: secret,
      requestBody: body, url: uris[0], method: "POST", timestamp: ts });
  } catch { threw = true; }
  check("v3: so does @hubspot/api-client", threw);
}

// ---- HubSpot v1 and v2 ----
{
  const vsecret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
  const vbody = '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
  const want = "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de";
  const signed = ours(["hubspot-sign-v1", vsecret], vbody);
  check("v1: the published vector, signed by hook_sign", signed.out === want, signed.out);
  check("v1: the published vector, signed by @hubspot/api-client",
    Signature.getSignature("POST", "v1", { clientSecret: vsecret, requestBody: vbody }) === want);
}
for (const [bi, body] of bodies.entries()) {
  const s1 = ours(["hubspot-sign-v1", secret], body);
  check(`v1: @hubspot/api-client accepts our signature (body ${bi})`,
    Signature.isValid({ signatureVersion: "v1", signature: s1.out, clientSecret: secret, requestBody: body }), s1.out);
  const t1 = Signature.getSignature("POST", "v1", { clientSecret: secret, requestBody: body });
  const v1 = ours(["hubspot-verify-v1", secret, t1], body);
  check(`v1: we accept @hubspot/api-client's signature (body ${bi})`, v1.status === 0, v1.err);

  const uri = uris[1];
  const s2 = ours(["hubspot-sign-v2", secret, "POST", uri], body);
  check(`v2: @hubspot/api-client accepts our signature (body ${bi})`,
    Signature.isValid({ signatureVersion: "v2", signature: s2.out, clientSecret: secret, requestBody: body,
      url: uri, method: "POST" }), s2.out);
  const t2 = Signature.getSignature("POST", "v2", { clientSecret: secret, requestBody: body, url: uri });
  const v2 = ours(["hubspot-verify-v2", secret, "POST", uri, t2], body);
  check(`v2: we accept @hubspot/api-client's signature (body ${bi})`, v2.status === 0, v2.err);
  const w2 = ours(["hubspot-verify-v2", secret, "GET", uri, t2], body);
  check(`v2: we refuse it for another method (body ${bi})`, w2.status === 1, w2.err);
}

// ---- Standard Webhooks ----
const whsecret = "whsec_" + Buffer.from("handoff-standard-webhooks-test-key-32b").toString("base64");
const wh = new Webhook(whsecret);
const payloads = [
  '{"type":"deal.won","timestamp":"2024-03-08T16:00:00Z","data":{"crm_id":"D-1001","name":"Açaí 日本"}}',
  '{"test": 2432232314}',
];
for (const [pi, payload] of payloads.entries()) {
  const id = `msg_${pi}_${Date.now()}`;
  const ts = Math.floor(Date.now() / 1000);
  const theirs = wh.sign(id, new Date(ts * 1000), payload);
  const r = ours(["standard-verify", whsecret, id, String(ts), theirs, String(ts)], payload);
  check(`standard: we accept standardwebhooks' signature (payload ${pi})`, r.status === 0, r.err);
  const rotated = ours(["standard-verify", whsecret, id, String(ts),
    `v1,${Buffer.alloc(32).toString("base64")} ${theirs}`, String(ts)], payload);
  check(`standard: among several entries (payload ${pi})`, rotated.status === 0, rotated.err);
  const bad = ours(["standard-verify", whsecret, id, String(ts), theirs, String(ts)], payload + "x");
  check(`standard: we refuse it for another body (payload ${pi})`, bad.status === 1, bad.err);

  const signed = ours(["standard-sign", whsecret, id, String(ts)], payload);
  check(`standard: our signature equals standardwebhooks' (payload ${pi})`, signed.out === theirs,
    `${signed.out} != ${theirs}`);
  let ok = true, why = "";
  try {
    wh.verify(payload, { "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": signed.out });
  } catch (e) { ok = false; why = e.message; }
  check(`standard: standardwebhooks accepts our signature (payload ${pi})`, ok, why);
  let refused = false;
  try {
    wh.verify(payload + " ", { "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": signed.out });
  } catch { refused = true; }
  check(`standard: standardwebhooks refuses it for another body (payload ${pi})`, refused);
}

console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
