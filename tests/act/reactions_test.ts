import assert from "node:assert/strict";
import { bulkReason, planNotifications } from "../../src/act/mod.ts";
import type { HeaderField } from "../../src/message/mod.ts";
import { type Control } from "../../src/profile/mod.ts";
import { controlWith } from "../_helpers/control.ts";

const h = (...lines: string[]): HeaderField[] =>
  lines.map((l) => ({ name: l.slice(0, l.indexOf(":")), value: l.slice(l.indexOf(":") + 1) }));

Deno.test("bulkReason() reads every Precedence field, not only the first", () => {
  assert.equal(bulkReason(h("Precedence: first-class", "Precedence: bulk")), "Precedence: bulk");
});

Deno.test("bulkReason() ignores comments", () => {
  assert.equal(bulkReason(h("Precedence: (list software) list")), "Precedence: list");
  assert.equal(
    bulkReason(h("Auto-Submitted: auto-replied (vacation)")),
    "Auto-Submitted: auto-replied",
  );
  assert.equal(bulkReason(h("Auto-Submitted: no (a person wrote this)")), undefined);
});

Deno.test("bulkReason() knows List-Id, List-Unsubscribe and X-Auto-Response-Suppress", () => {
  assert.equal(bulkReason(h("List-Id: <a.example.com>")), "List-Id present");
  assert.equal(
    bulkReason(h("List-Unsubscribe: <mailto:x@example.com>")),
    "List-Unsubscribe present",
  );
  assert.equal(bulkReason(h("X-Auto-Response-Suppress: OOF")), "X-Auto-Response-Suppress present");
  assert.equal(bulkReason(h("Subject: hello")), undefined);
});

function plan(control: Control, action: "quarantine" | "pass", sender: string) {
  return planNotifications(["notify-recipient", "notify-sender", "notify-admin"], {
    headers: [],
    sender,
    recipient: "bob@example.org",
    control,
    action,
    ownNotification: false,
  });
}

Deno.test("planNotifications() tells nobody about a delivered message unless notify-pass=y", async () => {
  const admins = "root@example.org\n";
  const quiet = plan(await controlWith({ admins }), "pass", "alice@example.com");
  assert.deepEqual(quiet.planned, []);
  assert.equal(quiet.suppressed.length, 3);
  const filters = "notify-sender=y\nnotify-pass=y\n";
  const told = plan(await controlWith({ admins, filters }), "pass", "alice@example.com");
  assert.deepEqual(told.planned.map((p) => p.template), ["recipient", "sender", "admin"]);
});

Deno.test("planNotifications() never plans a notification to a sender that is not one mailbox", async () => {
  const control = await controlWith({ filters: "notify-sender=y\n" });
  const result = plan(control, "quarantine", "a@x.example, b@y.example");
  assert.deepEqual(result.planned.map((p) => p.template), ["recipient"]);
  assert.deepEqual(result.suppressed.map((s) => s.why), [
    'sender "a@x.example, b@y.example" is not one mailbox',
    "admins lists no address",
  ]);
});
