/** The repository's own partners/ and mappings/, loaded once the way `edigw translate` loads them. */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { createCanonicalValidators } from '../../src/canonical/validate.ts';
import { loadConfigOrExplain } from '../../src/cli/context.ts';
import { createReaders } from '../../src/pipeline/inbound/readers.ts';
import type { TranslateFileDeps } from '../../src/pipeline/inbound/translate-file.ts';

let deps: TranslateFileDeps | undefined;

export function repoDeps(repoRoot: string): TranslateFileDeps {
  if (!deps) {
    const { config } = loadConfigOrExplain({ EDIGW_PARTNERS_DIR: path.join(repoRoot, 'partners'), EDIGW_MAPPINGS_DIR: path.join(repoRoot, 'mappings'), EDIGW_FIXTURES_DIR: path.join(repoRoot, 'fixtures') });
    deps = { config, readers: createReaders(), validators: createCanonicalValidators() };
  }
  return deps;
}

/** translate options for a seed file: fixtures/<partner>/<case>/ names its partner; options.json its message */
export function seedOptions(repoRoot: string, file: string, optionsJson?: string): Record<string, string> {
  const rel = path.relative(path.join(repoRoot, 'fixtures'), file).split(path.sep);
  const meta: Record<string, string> = {};
  if (rel.length >= 2 && !rel[0]!.startsWith('..') && existsSync(path.join(repoRoot, 'partners', `${rel[0]}.yaml`))) meta.partnerId = rel[0]!;
  if (optionsJson) {
    const o = JSON.parse(optionsJson) as Record<string, unknown>;
    if (typeof o.message === 'string') meta.message = o.message;
    if (typeof o.partner === 'string') meta.partnerId = o.partner;
    if (typeof o.contentType === 'string') meta.contentType = o.contentType;
  }
  if (file.endsWith('.csv')) meta.contentType ??= 'text/csv';
  return meta;
}
