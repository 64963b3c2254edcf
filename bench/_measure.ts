/** Small helpers for benchmarks: wall-time statistics over repeated runs. */
export interface Stats {
  readonly runs: number;
  readonly mean: number;
  readonly median: number;
  readonly p95: number;
  readonly min: number;
}

export function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return {
    runs: sorted.length,
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    median: at(0.5),
    p95: at(0.95),
    min: sorted[0] ?? NaN,
  };
}

export function ms(value: number): string {
  return `${value.toFixed(2)} ms`;
}

/** Run a process to completion and return its wall time in milliseconds. */
export async function timeProcess(
  command: string,
  args: readonly string[],
  options: { stdinFile?: string; env?: Record<string, string>; cwd?: string } = {},
): Promise<{ ms: number; code: number }> {
  const started = performance.now();
  const child = new Deno.Command("/bin/sh", {
    args: options.stdinFile
      ? ["-c", 'exec 0<"$1"; shift; exec "$@"', "sh", options.stdinFile, command, ...args]
      : ["-c", 'exec "$@"', "sh", command, ...args],
    stdout: "null",
    stderr: "null",
    stdin: "null",
    ...(options.env ? { env: options.env, clearEnv: true } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const { code } = await child.output();
  return { ms: performance.now() - started, code };
}

/** Seconds that `count` deliveries of `file` take with 10 running at once (concurrencylocal). */
export async function parallelDeliveries(
  binary: string,
  file: string,
  count: number,
  options: { env: Record<string, string>; cwd: string },
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: 10 }, async () => {
    while (next < count) {
      next++;
      await timeProcess(binary, ["-n"], { stdinFile: file, env: options.env, cwd: options.cwd });
    }
  }));
  return (performance.now() - started) / 1000;
}
