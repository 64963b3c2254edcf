/** An attachment carried inside a TNEF (winmail.dat) stream. */
export interface TnefAttachment {
  readonly name: string;
  readonly content: Uint8Array;
}

export interface TnefContents {
  readonly attachments: readonly TnefAttachment[];
  /** Why the stream stopped early, if it did. */
  readonly error: string | undefined;
}

const TNEF_SIGNATURE = 0x223e9f78;
const ATT_ATTACH_REND_DATA = 0x00069002;
const ATT_ATTACH_TITLE = 0x00018010;
const ATT_ATTACH_DATA = 0x0006800f;
/** A TNEF stream with more attachments than this is treated as hostile. */
const MAX_TNEF_ATTACHMENTS = 500;

/** True when the bytes start with the TNEF signature. */
export function isTnef(bytes: Uint8Array): boolean {
  return bytes.length >= 6 &&
    new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) === TNEF_SIGNATURE;
}

/**
 * List the attachments of a TNEF stream (MS-OXTNEF): each attAttachRendData starts one,
 * attAttachTitle names it, attAttachData carries its bytes. Never throws: a broken
 * stream returns what was read and the reason it stopped.
 */
export function readTnef(bytes: Uint8Array): TnefContents {
  const attachments: { name: string; content: Uint8Array }[] = [];
  if (!isTnef(bytes)) return { attachments, error: "missing TNEF signature" };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 6;
  let current: { name: string; content: Uint8Array } | undefined;
  while (pos < bytes.length) {
    if (pos + 9 > bytes.length) {
      return { attachments, error: `truncated attribute header at offset ${pos}` };
    }
    const id = view.getUint32(pos + 1, true);
    const length = view.getUint32(pos + 5, true);
    const start = pos + 9;
    if (start + length + 2 > bytes.length) {
      return {
        attachments,
        error: `attribute at offset ${pos} runs past the end (${length} bytes)`,
      };
    }
    const data = bytes.subarray(start, start + length);
    if (id === ATT_ATTACH_REND_DATA) {
      if (attachments.length >= MAX_TNEF_ATTACHMENTS) {
        return { attachments, error: "too many attachments" };
      }
      current = { name: "", content: new Uint8Array(0) };
      attachments.push(current);
    } else if (id === ATT_ATTACH_TITLE && current) {
      current.name = cString(data);
    } else if (id === ATT_ATTACH_DATA && current) {
      current.content = data;
    }
    pos = start + length + 2;
  }
  return { attachments, error: undefined };
}

function cString(data: Uint8Array): string {
  const nul = data.indexOf(0);
  const bytes = nul >= 0 ? data.subarray(0, nul) : data;
  return new TextDecoder("windows-1252").decode(bytes);
}
