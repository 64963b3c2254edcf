import assert from "node:assert/strict";
import { readDelivery, realRecipient } from "../../src/delivery/delivery.ts";
import { isBounceSender } from "../../src/rules/mod.ts";

Deno.test("readDelivery() reads qmail-local's variables and treats absent ones as empty", () => {
  const d = readDelivery({
    SENDER: "",
    RECIPIENT: "example-info@example.org",
    USER: "example",
    EXT2: "x",
  });
  assert.equal(d.sender, "");
  assert.equal(d.recipient, "example-info@example.org");
  assert.equal(d.host, "");
  assert.deepEqual(d.exts, ["x", "", ""]);
});

Deno.test("realRecipient() strips $USER- for -v- and an explicit prefix for -v PREPEND", () => {
  const d = readDelivery({ RECIPIENT: "example-info@example.org", USER: "example" });
  assert.equal(realRecipient(d, "-"), "info@example.org");
  assert.equal(realRecipient(d, "example-"), "info@example.org");
  assert.equal(realRecipient(d, "other-"), "example-info@example.org");
  assert.equal(realRecipient(d, undefined), "example-info@example.org");
});

Deno.test("isBounceSender() knows the null sender, #@[] and MAILER-DAEMON", () => {
  assert.equal(isBounceSender(""), true);
  assert.equal(isBounceSender("#@[]"), true);
  assert.equal(isBounceSender("MAILER-DAEMON@example.org"), true);
  assert.equal(isBounceSender("alice@example.org"), false);
});
