import { loadGatewayConfig, type ConfigProblem, type GatewayConfig } from '../config/index.ts';
import { problemLines } from '../config/problems.ts';
import { createMappingCompiler, type GatewayMapping } from '../pipeline/inbound/compile-mapping.ts';
import { grammarFor } from '../pipeline/inbound/grammars.ts';
import { CliError } from './cli-error.ts';

/** Environment defaults every command shares (README "Configuration"). */
export function dirsFromEnv(env: Record<string, string | undefined>) {
  return {
    databaseUrl: env.EDIGW_DATABASE_URL ?? './data/gateway.db',
    partnersDir: env.EDIGW_PARTNERS_DIR ?? './partners',
    mappingsDir: env.EDIGW_MAPPINGS_DIR ?? './mappings',
    fixturesDir: env.EDIGW_FIXTURES_DIR ?? './fixtures',
  };
}

// CliError lives in its own module so `edigw --help` (run.ts) does not load the configuration code
export { CliError };

/** Loads partners and mappings, or throws a CliError listing every problem with file:line:col. */
export function loadConfigOrExplain(env: Record<string, string | undefined>, opts: { verbose?: boolean } = {}): { config: GatewayConfig<GatewayMapping>; warnings: string[]; problems: ConfigProblem[] } {
  const dirs = dirsFromEnv(env);
  const { config, problems } = loadGatewayConfig<GatewayMapping>({ ...dirs, env, compile: createMappingCompiler(grammarFor) });
  // a partner disabled by a conflicting identifier lets the gateway run, but the check fails
  if (!config || (config.disabledPartners?.length ?? 0) > 0) {
    // errors first, warnings labelled and folded (problemLines): the real error is the first line
    throw new CliError(`configuration has problems:\n${problemLines(problems, { verbose: opts.verbose, foldHint: 'edigw check --verbose lists them' }).map((l) => `  ${l}`).join('\n')}`, 2);
  }
  return { config, warnings: problems.map((p) => p.text), problems };
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
}
