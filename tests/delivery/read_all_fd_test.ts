import assert from "node:assert/strict";
import { closeSync, constants, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readAllFd } from "../../src/delivery/io.ts";
import { tempDir } from "../_helpers/temp_dirs.ts";

/** Bytes that show where they came from: a wrong offset or a lost chunk changes them. */
function numbered(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 7 + (i >> 8)) & 0xff;
  return bytes;
}

for (const size of [0, 1, 483, 1024, 65_536, 200_000]) {
  Deno.test(`readAllFd() reads a file of ${size} bytes whole, as qmail-local gives it`, () => {
    const path = join(tempDir("qmvc-read-fd-"), "message");
    const bytes = numbered(size);
    writeFileSync(path, bytes);
    const fd = openSync(path, "r");
    try {
      assert.deepEqual(readAllFd(fd), bytes);
    } finally {
      closeSync(fd);
    }
  });
}

/** A named pipe, and a file of `size` numbered bytes for a writer to send through it. */
async function pipeAndSource(
  size: number,
): Promise<{ fifo: string; source: string; bytes: Uint8Array }> {
  const dir = tempDir("qmvc-read-fd-");
  const fifo = join(dir, "fifo");
  const source = join(dir, "source");
  const bytes = numbered(size);
  writeFileSync(source, bytes);
  assert.equal((await new Deno.Command("mkfifo", { args: [fifo] }).output()).code, 0);
  return { fifo, source, bytes };
}

Deno.test("readAllFd() reads a pipe whole, in chunks that grow", async () => {
  const { fifo, source, bytes } = await pipeAndSource(300_000);
  const writer = new Deno.Command("/bin/sh", { args: ["-c", 'cat "$0" > "$1"', source, fifo] })
    .spawn();
  const fd = openSync(fifo, "r");
  try {
    assert.deepEqual(readAllFd(fd), bytes);
  } finally {
    closeSync(fd);
  }
  assert.equal((await writer.status).code, 0);
});

Deno.test("readAllFd() waits out a non-blocking pipe that has nothing yet (EAGAIN)", async () => {
  const { fifo, source, bytes } = await pipeAndSource(100_000);
  // The writer is there (so the pipe is not at its end) but writes only after a while.
  const writer = new Deno.Command("/bin/sh", {
    args: ["-c", 'exec 3>"$1"; sleep 0.3; cat "$0" >&3', source, fifo],
  }).spawn();
  const waitForWriter = openSync(fifo, "r");
  const fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  closeSync(waitForWriter);
  try {
    assert.deepEqual(readAllFd(fd), bytes);
  } finally {
    closeSync(fd);
  }
  assert.equal((await writer.status).code, 0);
});
