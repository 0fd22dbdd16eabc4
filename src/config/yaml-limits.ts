/**
 * Limits on configuration YAML, set deliberately (figures in the config decisions note,
 * "Hostile configuration YAML"). Real files are far inside them: the largest partner profile is
 * under 2 KB, the largest mapping under 8 KB, and the deepest nesting of any shipped file is 7 levels.
 */
import { CONFIG_YAML_DEPTH } from '../mapping/yaml-guard.ts';

export interface YamlLimits {
  /**
   * bytes; a larger file is refused before it is decoded or parsed. The yaml parser is linear but
   * runs about 1.2 MB/s on an idle core: 128 KB (33x the largest shipped file, 3.8 KB) bounds one file near 0.1-0.3 s.
   */
  maxBytes: number;
  /**
   * Block + flow nesting. The yaml package's composer recurses per level and overflows the stack
   * near 800 levels; after one such overflow the next deep parse in the same process aborted it
   * (V8 "RegExpCompiler Allocation failed"), which no try/catch can stop. So nothing that deep
   * ever reaches the parser.
   */
  maxDepth: number;
  /** yaml's maxAliasCount for partner profiles (uses of one anchor, times the aliases inside it) */
  maxAliasCount: number;
}

export const CONFIG_YAML_LIMITS: YamlLimits = { maxBytes: 128 * 1024, maxDepth: CONFIG_YAML_DEPTH, maxAliasCount: 50 };
