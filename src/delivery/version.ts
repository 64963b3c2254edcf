/** qmvc's version; tests/delivery/version_test.ts keeps it equal to package.json's. */
export const VERSION = "0.1.0";
