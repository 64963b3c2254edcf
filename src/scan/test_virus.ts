/**
 * The EICAR anti-virus test file, which every scanner reports as a virus by design.
 * It is kept shifted by one character so that the qmvc binary itself never contains
 * it: an admin's scan of /usr/local/bin must not find a "virus" in qmvc.
 */
const SHIFTED = 'Y6P"Q&ABQ\\5]Q[Y65)Q_*8DD*8~%FJDBS.TUBOEBSE.BOUJWJSVT.UFTU.GJMF"%I,I+';

/** The 68 bytes of the EICAR test file. */
export function eicarTestFile(): Uint8Array {
  return Uint8Array.from(SHIFTED, (c) => c.charCodeAt(0) - 1);
}

/** A small message carrying the EICAR test file as an attachment. */
export function eicarTestMessage(): Uint8Array {
  const head = "From: qmvc scanners --check <postmaster@localhost>\nSubject: EICAR test\n" +
    "MIME-Version: 1.0\nContent-Type: application/octet-stream; name=eicar.com\n\n";
  const body = eicarTestFile();
  const bytes = new Uint8Array(head.length + body.length + 1);
  bytes.set(new TextEncoder().encode(head));
  bytes.set(body, head.length);
  bytes[bytes.length - 1] = 0x0a;
  return bytes;
}
