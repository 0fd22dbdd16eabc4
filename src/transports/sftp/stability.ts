/**
 * The half-written-file rule: a listed file is taken only once it is stable, either old enough
 * (`minAgeSeconds` since its mtime) or seen with the same size and mtime in N consecutive polls
 * (`sizeUnchangedPolls`). The tracker remembers the last sighting of each name; names no longer
 * listed are forgotten.
 */
import type { SftpStableRule } from './config.ts';

export interface RemoteFileSighting {
  name: string;
  size: number;
  /** modification time in ms since epoch (the server's clock, 1 s resolution over SFTP v3) */
  modifyTime: number;
}

export interface StabilityTracker {
  /** Records this poll's listing and returns the names that are stable now. */
  observe(files: RemoteFileSighting[], nowMs: number): Set<string>;
  /** Forgets a name (taken, or found changed while reading), so it must prove stable again. */
  forget(name: string): void;
}

export function createStabilityTracker(rule: SftpStableRule): StabilityTracker {
  const seen = new Map<string, { size: number; modifyTime: number; polls: number }>();
  return {
    observe(files, nowMs) {
      const stable = new Set<string>();
      const listed = new Set<string>();
      for (const f of files) {
        listed.add(f.name);
        const prev = seen.get(f.name);
        const same = prev !== undefined && prev.size === f.size && prev.modifyTime === f.modifyTime;
        const polls = same ? prev.polls + 1 : 1;
        seen.set(f.name, { size: f.size, modifyTime: f.modifyTime, polls });
        const ok = 'minAgeSeconds' in rule
          ? nowMs - f.modifyTime >= rule.minAgeSeconds * 1000
          : polls >= rule.sizeUnchangedPolls;
        if (ok) stable.add(f.name);
      }
      for (const name of seen.keys()) if (!listed.has(name)) seen.delete(name);
      return stable;
    },
    forget(name) { seen.delete(name); },
  };
}
