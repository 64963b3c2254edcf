/**
 * The log stage: the one-line `qmvc.log` record, its reader, and the O_APPEND writer.
 *
 * @example
 * ```ts
 * import { formatLogRecord, parseLogRecord } from "./mod.ts";
 * const line = formatLogRecord({
 *   time: new Date(0), pid: 1, verdict: "pass", conditions: [], sender: "a@b", recipient: "c@d",
 *   messageId: "<x@y>", size: 10, parts: 1, scans: [], milliseconds: 3,
 * });
 * if (parseLogRecord(line).recipient !== "c@d") throw new Error("round trip failed");
 * ```
 * @module
 */
export {
  formatLogRecord,
  joinVirusNames,
  LOG_VERDICTS,
  LogRecordError,
  parseLogRecord,
  splitVirusNames,
} from "./log_record.ts";
export type { LoggedScan, LogRecord, LogVerdict } from "./log_record.ts";
export { logSafe, logUnsafe } from "./log_safe.ts";
export {
  adoptOwner,
  fileModeIn,
  isGroupShared,
  isWritableByOthers,
  makeSharedDir,
  openFresh,
  PRIVATE_DIR_MODE,
  SHARED_DIR_MODE,
  writeFresh,
} from "./shared_dir.ts";
export { appendLine, RECORD_FILE_MODE } from "./append_line.ts";
export { baseName, joinPath, parentDir } from "./paths.ts";
export { formatIncidentRecord, parseIncidentRecord, terminalSafeJson } from "./incident_record.ts";
export type { IncidentRecord } from "./incident_record.ts";
export { PROGRESS_EVERY, readIncidentRecords, readLogRecords } from "./read_records.ts";
export type { ReadOptions } from "./read_records.ts";
