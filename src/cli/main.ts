/** `edigw` entry point: runs a command with the process's arguments and environment. */
import { readFileSync } from 'node:fs';
import { runCli } from './run.ts';

/** The package's version, from the package.json above this file (src/cli or a built copy's folder). */
function packageVersion(): string {
  let dir = new URL('.', import.meta.url);
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'edi-gateway' && pkg.version) return pkg.version;
    } catch { /* not here: one folder up */ }
    dir = new URL('..', dir);
  }
  return 'unknown';
}

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`edigw ${packageVersion()}\n`);
} else {
  const code = await runCli(argv, {
    out: (t) => process.stdout.write(t + '\n'),
    err: (t) => process.stderr.write(t + '\n'),
    env: process.env,
    cwd: process.cwd(),
  });
  process.exitCode = code;
}
