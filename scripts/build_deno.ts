// deno-lint-ignore-file no-console
/**
 * `deno task build:deno`: the second build target, `deno compile` with the permission set
 * `qmvc` from deno.json baked in. deno compile downloads Deno's runtime for compiled
 * programs (denort) on first use; where that cannot be fetched this says so plainly and
 * exits 1, rather than failing in silence.
 */
const deno = Deno.execPath();
const output = "dist/qmvc-deno";
const command = new Deno.Command(deno, {
  args: ["compile", "-P=qmvc", "--no-check", "--output", output, "main.ts"],
  stdout: "inherit",
  stderr: "piped",
});
const result = await command.output();
const stderr = new TextDecoder().decode(result.stderr);
if (result.code !== 0) {
  const download = /denort|download|fetch|dns|connect|network|certificate/i.test(stderr);
  // A failed download is one plain sentence; deno's own error chain and backtrace only for
  // other failures, where they help.
  if (!download) Deno.stderr.writeSync(result.stderr);
  console.error(
    download
      ? `build:deno: deno compile could not download Deno's runtime for compiled programs (denort) from this machine, so ${output} was not built. dist/qmvc (deno task build) is the shipped binary.`
      : `build:deno: deno compile failed (exit ${result.code}); see the messages above. ${output} was not built.`,
  );
  Deno.exit(1);
}
Deno.stderr.writeSync(result.stderr);
console.log(`build:deno: wrote ${output} with the qmvc permission set`);
