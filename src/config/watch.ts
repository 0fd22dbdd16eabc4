/**
 * Hot reload: watches partners/ and mappings/ (every folder, watch-dirs.ts) and reloads after a quiet period.
 * A change that loads cleanly replaces the configuration; a broken one is refused, logged with
 * its problems, and the last good configuration keeps serving.
 */
import { GatewayError } from '../core/errors.ts';
import { createConfigLoader } from './load.ts';
import { missingSecrets } from './missing-secrets.ts';
import { problem, problemLines } from './problems.ts';
import { watchDirectories } from './watch-dirs.ts';
import type { CompiledMapping } from '../mapping/index.ts';
import type { CompiledMappingLike, GatewayConfig, WatchOptions } from './types.ts';

/** What /api/v1/status says about configuration (/healthz: the config check): anything listed here needs an operator. */
export interface ConfigStatus {
  loadedAt?: string;
  /** the last change that was refused, while no later change has loaded: when, and every finding */
  refusedReload?: { at: string; problems: string[] };
  /** partners not running because another file claims one of their identifiers */
  disabledPartners: Array<{ id: string; file: string; problems: string[] }>;
}

export interface ConfigWatch<M extends CompiledMappingLike = CompiledMapping> {
  current(): GatewayConfig<M>;
  status(): ConfigStatus;
  /** reloads now (what a file change triggers after the debounce); true when it took effect */
  reload(): boolean;
  close(): void;
}

export function watchGatewayConfig<M extends CompiledMappingLike = CompiledMapping>(opts: WatchOptions<M>): ConfigWatch<M> {
  const loader = createConfigLoader(opts);
  const first = loader.load();
  if (!first.config) {
    // errors first, warnings folded (problemLines: the same order as edigw check)
    throw new GatewayError('config_invalid', `configuration refused: ${first.problems.filter((p) => p.severity === 'error').length} problem(s)\n${problemLines(first.problems, { foldHint: 'edigw check --verbose lists them' }).join('\n')}`, {
      problems: first.problems,
    });
  }
  let current: GatewayConfig<M> = first.config;
  let refusedReload: ConfigStatus['refusedReload'];
  const now = () => (opts.clock ? opts.clock.now() : new Date()).toISOString();
  /** a disabled partner is an alert at start and on every reload that still has it */
  const alertDisabled = (c: GatewayConfig<M>) => {
    for (const d of c.disabledPartners ?? []) {
      opts.logger.error('configuration alert: partner disabled, its identifier is claimed by another file', {
        partnerId: d.id, file: d.file, problems: d.problems.map((p) => p.text),
      });
    }
  };
  alertDisabled(current);
  /** a partner without a secret still loads; say so at start and on every reload that still lacks it */
  const warnMissingSecrets = (c: GatewayConfig<M>) => {
    for (const m of missingSecrets(c.partners)) {
      opts.logger.warn('partner secret not set', { partnerId: m.partnerId, field: m.field, env: m.env, effect: m.effect });
    }
  };
  warnMissingSecrets(current);
  // the configuration's other findings (a mapping folder no partner owns, a path that finds nothing
  // where it is used, ...): the gateway says at start what `edigw check` says (secrets: above)
  const findings = first.problems.filter((p) => p.severity === 'warning' && p.rule !== 'secret_env_set');
  if (findings.length > 0) opts.logger.warn('configuration loaded with warnings', { warnings: findings.map((p) => p.text) });
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const debounceMs = opts.debounceMs ?? 250;

  const reload = (): boolean => {
    let next: ReturnType<typeof loader.load>;
    try {
      next = loader.load();
    } catch (e) {
      // loads report problems and do not throw; should one still, the running configuration stays
      next = { problems: [problem({ file: opts.partnersDir, rule: 'config_unexpected', message: `the configuration could not be loaded (${e instanceof Error ? e.message : String(e)})` })] };
    }
    if (!next.config) {
      const errors = next.problems.filter((p) => p.severity === 'error');
      refusedReload = { at: now(), problems: errors.map((p) => p.text) };
      opts.logger.error('configuration change refused; the last good configuration keeps serving', {
        // the errors only (as /api/v1/status shows them); the warnings counted, not listed before them
        problems: errors.map((p) => p.text),
        ...(next.problems.length > errors.length ? { warnings: `${next.problems.length - errors.length} warning(s) besides: edigw check --verbose lists them` } : {}),
        findings: errors.map((p) => ({ file: p.file, line: p.line, col: p.col, rule: p.rule, message: p.message })),
      });
      return false;
    }
    current = next.config;
    refusedReload = undefined;
    alertDisabled(current);
    const warnings = next.problems.filter((p) => p.severity === 'warning').map((p) => p.text);
    opts.logger.info('configuration reloaded', { partners: current.partners.length, mappings: current.mappings.size, ...(warnings.length ? { warnings } : {}) });
    warnMissingSecrets(current);
    try {
      opts.onReload(current);
    } catch (e) {
      // a listener's failure must not take the watcher (or the process) down
      opts.logger.error('configuration reload listener failed', { error: e instanceof Error ? e.message : String(e) });
    }
    return true;
  };

  const schedule = () => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => { timer = undefined; if (!closed) reload(); }, debounceMs);
  };

  // saves by rename (editors, sed -i) and ConfigMap symlink swaps are events in the folder
  const folders = watchDirectories([...new Set([opts.partnersDir, opts.mappingsDir])], schedule, { logger: opts.logger });

  return {
    current: () => current,
    status: () => ({
      ...(current.loadedAt ? { loadedAt: current.loadedAt } : {}),
      ...(refusedReload ? { refusedReload } : {}),
      disabledPartners: (current.disabledPartners ?? []).map((d) => ({ id: d.id, file: d.file, problems: d.problems.map((p) => p.text) })),
    }),
    reload,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      folders.close();
    },
  };
}
