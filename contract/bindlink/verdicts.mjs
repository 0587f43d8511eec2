// verdicts.mjs asks the official Embedded SDK (@beyondidentity/bi-sdk-js,
// pinned in contract/package-lock.json) which URLs it takes for binding
// links. It reads a JSON array of URLs on stdin and writes, on stdout, one
// JSON array with one verdict per URL, in the same order:
//
//	{"bind": true|false, "kind": "Bind" | "Authenticate" | "<error kind>"}
//
// bind is what Embedded.isBindPasskeyUrl(url) returns, the check a front end
// makes before bindPasskey(url). kind says why, for the report: the URL type
// the SDK's core gave, or the leading words of the error it threw (never the
// rest of the message, which quotes the URL).
//
// The SDK is written for browsers (a webpack UMD bundle with a WebAssembly
// core). Under Node 20 it needs, before it is loaded: self, window and
// location (Embedded.initialize reads window.location.host) and an
// IndexedDB, which fake-indexeddb provides in memory. Nothing is stored:
// isBindPasskeyUrl only parses. Used by diff_test.go.
import "fake-indexeddb/auto";
import { createRequire } from "node:module";

// The SDK's logger, and anything else, must not mix with the answer.
for (const level of ["log", "info", "debug", "warn", "trace"]) {
  console[level] = (...args) => console.error(...args);
}

globalThis.self = globalThis;
globalThis.window = globalThis;
globalThis.location = new URL("https://app.example/");

const require = createRequire(import.meta.url);
const { Embedded } = require("@beyondidentity/bi-sdk-js");

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

// A link the SDK knows to accept and one it knows to refuse: checked again
// after a WebAssembly trap (the core panics on non-ASCII hosts, and on other
// non-ASCII characters not at the end of the link), to be sure the
// core still answers as before.
const canaryGood =
  "https://auth-us.beyondidentity.com/v1/tenants/t/realms/r/identities/i/credential-binding-jobs/j:invokeAuthenticator?token=FAKE";
const canaryBad =
  "https://auth-us.beyondidentity.com/v1/tenants/t/realms/r/identities/i/credential-binding-jobs/j%3AinvokeAuthenticator?token=FAKE";

// kind names the URL type, or the error's leading words: "UrlType(InvalidUrl"
// rather than the whole message, which quotes the URL.
function kind(core, url) {
  try {
    return { kind: String(core.getUrlType(url).type), trap: false };
  } catch (err) {
    const m = /^[A-Za-z]+(?:\([A-Za-z]+)*/.exec(String(err && err.message ? err.message : err));
    return { kind: m ? m[0] : "error", trap: err instanceof WebAssembly.RuntimeError };
  }
}

const urls = JSON.parse(await readStdin());
if (!Array.isArray(urls) || urls.some((u) => typeof u !== "string")) {
  throw new Error("stdin must hold a JSON array of strings");
}
const sdk = await Embedded.initialize();
const verdicts = urls.map((url) => {
  // core is private in the SDK's types; it is read only to explain a verdict.
  const k = kind(sdk.core, url);
  const bind = sdk.isBindPasskeyUrl(url) === true;
  if (k.trap && (sdk.isBindPasskeyUrl(canaryGood) !== true || sdk.isBindPasskeyUrl(canaryBad) !== false)) {
    throw new Error("the SDK's core answers differently after a WebAssembly trap: its verdicts cannot be trusted");
  }
  return { bind, kind: k.trap ? "trap: " + k.kind : k.kind };
});
process.stdout.write(JSON.stringify(verdicts) + "\n");
