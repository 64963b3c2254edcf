import type * as Zlib from "node:zlib";

let zlib: typeof Zlib | undefined;

/**
 * node:zlib, loaded the first time a gzip member or a PDF stream is inflated. A static
 * import would cost every delivery several milliseconds of start-up for mail that
 * mostly has neither; the module is computation only, no I/O, so the stage stays pure.
 */
export function zlibModule(): typeof Zlib {
  return zlib ??= process.getBuiltinModule("node:zlib") as typeof Zlib;
}
