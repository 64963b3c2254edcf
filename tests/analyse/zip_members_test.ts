import assert from "node:assert/strict";
import { readZipMembers } from "../../src/analyse/mod.ts";
import { overlappingZip } from "../_helpers/zip_shapes.ts";

const MZ = new TextEncoder().encode("MZ\x90\x00 a program");

async function membersOf(zip: Uint8Array): Promise<{ path: string; content: Uint8Array }[]> {
  const members = [];
  for await (const member of readZipMembers(zip)) members.push(member);
  return members;
}

Deno.test("readZipMembers: a member named ../x is unpacked too, so a virus found in it is tied to it", async () => {
  // zip.js refuses such a name unless told its names are data: no member was unpacked.
  const members = await membersOf(overlappingZip("../evil.exe", MZ, 1, { deflate: true }));
  assert.deepEqual(members.map((m) => [m.path, m.content.length]), [["../evil.exe", MZ.length]]);
});

Deno.test("readZipMembers: stops at archive-members, however many entries the directory has", async () => {
  const members = await membersOf(overlappingZip("a.exe", MZ, 10_050, { deflate: false }));
  assert.equal(members.length, 10_000);
});
