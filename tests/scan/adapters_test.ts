/** The scanner contract against every adapter, with real ClamAV (clamd, clamdscan, clamscan). */
import { clamdScanner, subprocessScanner } from "../../src/scan/mod.ts";
import { BUILTIN_SUBPROCESS } from "../../src/scan/mod.ts";
import { parseScannersYaml, prepareScannersYaml } from "../../src/profile/control/scanners_yaml.ts";
import {
  CLAMDSCAN,
  CLAMSCAN,
  HAVE_CLAMAV,
  startClamd,
  writeSignatureDb,
} from "../_helpers/clamav.ts";
import { runScannerContract } from "./scanner_contract.ts";

const EICAR_NAME = /^Qmvc-Test-EICAR(-Hash)?\.UNOFFICIAL$/;
const clamd = HAVE_CLAMAV ? await startClamd() : undefined;
const db = HAVE_CLAMAV ? writeSignatureDb() : "";
const ignore = !HAVE_CLAMAV;

runScannerContract({
  name: "clamd (unix socket)",
  newScanner: () => clamdScanner([{ path: clamd!.socket }]),
  eicarName: EICAR_NAME,
  ignore,
});
runScannerContract({
  name: "clamd (TCP)",
  newScanner: () => clamdScanner([{ host: "127.0.0.1", port: clamd!.port }]),
  eicarName: EICAR_NAME,
  ignore,
});
runScannerContract({
  name: "clamscan",
  newScanner: () =>
    subprocessScanner({ name: "clamscan", ...BUILTIN_SUBPROCESS["clamscan"]!, command: CLAMSCAN }, [
      "-d",
      db,
    ]),
  eicarName: EICAR_NAME,
  ignore,
});
runScannerContract({
  name: "clamdscan",
  newScanner: () =>
    subprocessScanner({
      name: "clamdscan",
      ...BUILTIN_SUBPROCESS["clamdscan"]!,
      command: CLAMDSCAN,
    }, [`--config-file=${clamd!.config}`]),
  eicarName: EICAR_NAME,
  ignore,
});
await prepareScannersYaml("scanners:\n  x: {}\n");
const yaml = parseScannersYaml(
  `scanners:\n  myclam:\n    command: ${CLAMSCAN}\n    args: ["--no-summary", "-d", "${db}", "{files}"]\n    clean: [0]\n    infected: [1]\n    virus: '^.*?: (?<name>.+) FOUND$'\n`,
  "scanners.yaml",
);
runScannerContract({
  name: "scanners.yaml scanner (clamscan declared in YAML)",
  newScanner: () => subprocessScanner(yaml.scanners["myclam"]!),
  eicarName: EICAR_NAME,
  ignore,
});

Deno.test({
  name: "stop the contract's clamd",
  ignore,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    await clamd?.stop();
  },
});
