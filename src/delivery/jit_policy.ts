/**
 * The JIT's tier-up thresholds. The binary starts with them scaled up tenfold
 * (`--compile-jit-policy=10` in deno.json's build task): a small delivery runs its code
 * once, and compiling it on JIT threads cost about 3 ms of CPU per delivery (a quarter
 * of it) and an extra millisecond of wall time. Work that runs long (a big message, the
 * reports, the other commands) asks for the normal thresholds back, so its hot loops are
 * compiled as soon as usual. Outside a compiled Bun binary (Deno, `bun main.ts`) this
 * changes nothing.
 */
export function normalJitPolicy(): void {
  const bun = (globalThis as { Bun?: { unsafe?: { setJITPolicy?: (scale: number) => void } } })
    .Bun;
  bun?.unsafe?.setJITPolicy?.(1);
}

/** A message from this size on is worth compiling for (measured: 2.7 MB ran 10 % faster). */
export const JIT_MESSAGE_BYTES = 1024 * 1024;
