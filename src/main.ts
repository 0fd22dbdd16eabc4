/**
 * npm start: the composition root's entry. Serves the gateway on embedded SQLite with the example
 * partners, configured by environment (README "Configuration"); `edigw serve` is the same.
 */
import { runCli } from './cli/run.ts';

const code = await runCli(['serve', ...process.argv.slice(2)], {
  out: (t) => process.stdout.write(t + '\n'),
  err: (t) => process.stderr.write(t + '\n'),
  env: process.env,
  cwd: process.cwd(),
});
process.exit(code);
