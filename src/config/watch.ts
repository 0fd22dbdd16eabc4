/**
 * Hot reload: watches partners/ and mappings/ (recursively) and reloads after a quiet period.
 * A change that loads cleanly replaces the configuration; a broken one is refused, logged with
 * its problems, and the last good configuration keeps serving.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { GatewayError } from '../core/errors.ts';
import { createConfigLoader } from './load.ts';
import { missingSecrets } from './missing-secrets.ts';
import { hasErrors } from './problems.ts';
import type { CompiledMapping } from '../mapping/index.ts';
import type { CompiledMappingLike, GatewayConfig, WatchOptions } from './types.ts';

export interface ConfigWatch<M extends CompiledMappingLike = CompiledMapping> {
  current(): GatewayConfig<M>;
  /** reloads now (what a file change triggers after the debounce); true when it took effect */
  reload(): boolean;
  close(): void;
}

export function watchGatewayConfig<M extends CompiledMappingLike = CompiledMapping>(opts: WatchOptions<M>): ConfigWatch<M> {
  const loader = createConfigLoader(opts);
  const first = loader.load();
  if (!first.config) {
    throw new GatewayError('config_invalid', `configuration refused: ${first.problems.filter((p) => p.severity === 'error').length} problem(s)\n${first.problems.map((p) => p.text).join('\n')}`, {
      problems: first.problems,
    });
  }
  let current: GatewayConfig<M> = first.config;
  /** a partner without a secret still loads; say so at start and on every reload that still lacks it */
  const warnMissingSecrets = (c: GatewayConfig<M>) => {
    for (const m of missingSecrets(c.partners)) {
      opts.logger.warn('partner secret not set', { partnerId: m.partnerId, field: m.field, env: m.env, effect: m.effect });
    }
  };
  warnMissingSecrets(current);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const debounceMs = opts.debounceMs ?? 250;

  const reload = (): boolean => {
    const next = loader.load();
    if (!next.config || hasErrors(next.problems)) {
      opts.logger.error('configuration change refused; the last good configuration keeps serving', {
        problems: next.problems.map((p) => p.text),
      });
      return false;
    }
    current = next.config;
    const warnings = next.problems.map((p) => p.text);
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

  const watchers: FSWatcher[] = [];
  for (const dir of new Set([opts.partnersDir, opts.mappingsDir])) {
    if (!existsSync(dir)) continue;
    const w = watch(dir, { recursive: true, persistent: false }, schedule);
    w.on('error', (e) => opts.logger.warn('configuration watch error', { dir, error: e.message }));
    watchers.push(w);
  }

  return {
    current: () => current,
    reload,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
    },
  };
}
