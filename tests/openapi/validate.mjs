// Validate an OpenAPI document (the file named by argv[2]) against the OpenAPI 3.1 schema
// with @seriousme/openapi-schema-validator. That schema leaves the Schema Objects inside
// the document unchecked, so each of them is also checked against the JSON Schema 2020-12
// meta-schema (ajv), and every local $ref must resolve. Prints TAP (one test) and exits
// non-zero on failure.
//
//   node tests/openapi/validate.mjs docs/openapi.json
import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";

const name = "openapi document is valid OpenAPI 3.1";
const file = process.argv[2];

function fail(errors) {
  console.log(`not ok 1 - ${name}`);
  for (const line of JSON.stringify(errors, null, 2).split("\n").slice(0, 200))
    console.log(`#   ${line}`);
  process.exit(1);
}

// Every "$ref" that points into this document ("#/...") must name something that exists.
function unresolvedRefs(doc) {
  const bad = [];
  const lookup = (pointer) => {
    let node = doc;
    for (const raw of pointer.slice(2).split("/")) {
      const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
      if (node === null || typeof node !== "object" || !(key in node)) return false;
      node = node[key];
    }
    return true;
  };
  const walk = (node, where) => {
    if (Array.isArray(node)) node.forEach((v, i) => walk(v, `${where}/${i}`));
    else if (node && typeof node === "object")
      for (const [k, v] of Object.entries(node)) {
        if (k === "$ref" && typeof v === "string" && v.startsWith("#/") && !lookup(v))
          bad.push({ at: where, unresolved: v });
        walk(v, `${where}/${k}`);
      }
  };
  walk(doc, "#");
  return bad;
}

// The Schema Objects of the document: the component schemas and every `schema` of a
// parameter, header or media type.
function schemaObjects(doc) {
  const found = [];
  for (const [k, v] of Object.entries(doc.components?.schemas ?? {}))
    found.push([`#/components/schemas/${k}`, v]);
  const walk = (node, where) => {
    if (Array.isArray(node)) node.forEach((v, i) => walk(v, `${where}/${i}`));
    else if (node && typeof node === "object")
      for (const [k, v] of Object.entries(node)) {
        if (k === "schema" && v && typeof v === "object") found.push([`${where}/schema`, v]);
        else if (k !== "schemas") walk(v, `${where}/${k}`);
      }
  };
  walk(doc.paths ?? {}, "#/paths");
  walk(doc.components ?? {}, "#/components");
  return found;
}

function invalidSchemas(doc) {
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  const bad = [];
  for (const [where, schema] of schemaObjects(doc))
    if (!ajv.validateSchema(schema)) bad.push({ at: where, errors: ajv.errors });
  return bad;
}

console.log("1..1");
if (!file) fail([{ message: "usage: node validate.mjs FILE" }]);
let doc;
try {
  doc = JSON.parse(readFileSync(file, "utf8"));
} catch (e) {
  fail([{ message: `${file}: ${e.message}` }]);
}
const validator = new Validator();
const res = await validator.validate(doc);
if (!res.valid) fail(res.errors);
if (validator.version !== "3.1") fail([{ message: `expected OpenAPI 3.1, found ${validator.version}` }]);
const bad = [...invalidSchemas(doc), ...unresolvedRefs(doc)];
if (bad.length) fail(bad);
console.log(`ok 1 - ${name}`);
