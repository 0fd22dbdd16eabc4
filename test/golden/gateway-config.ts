/**
 * The configuration the golden tests run against: the repository's own partners/ and mappings/,
 * loaded through the same function `edigw check` and `edigw translate` use.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanonicalValidators } from '../../src/canonical/validate.ts';
import { loadConfigOrExplain } from '../../src/cli/context.ts';
import { createReaders } from '../../src/pipeline/inbound/readers.ts';
import type { TranslateFileDeps } from '../../src/pipeline/inbound/translate-file.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function loadRepoConfig() {
  const { config } = loadConfigOrExplain({
    EDIGW_PARTNERS_DIR: path.join(repoRoot, 'partners'),
    EDIGW_MAPPINGS_DIR: path.join(repoRoot, 'mappings'),
  });
  const deps: TranslateFileDeps = { config, readers: createReaders(), validators: createCanonicalValidators() };
  return { config, deps };
}
