/**
 * Watches configuration folders so that every save is seen, however it is written. One
 * non-recursive fs.watch per folder (inotify on the folder, not on the files): a file replaced by
 * rename (editors, `sed -i`), a backup-and-rewrite save, or a Kubernetes ConfigMap's `..data`
 * symlink swap are all events in the folder, so nothing has to be re-armed per file. Node 20's
 * `recursive: true` on Linux watches each file's inode and lost a file after its first save by rename.
 *
 * After every event the tree is walked again (folders only: a configuration tree has tens): new
 * sub-folders get a watch, vanished ones lose it, and a folder whose path now names another inode
 * (renamed over, recreated) is watched anew. The same walk runs every `rearmMs` (default 5 s), so
 * a root created after start or replaced without an event in its parent is picked up too.
 * Folders whose names start with "." are not walked: the ConfigMap's timestamped `..2026_…`
 * folders are written once and swapped in whole, which the mount folder's own watch sees.
 */
import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../core/logger.ts';

export interface DirectoryWatch {
  close(): void;
  /** the folders watched now (tests) */
  folders(): string[];
}

export function watchDirectories(roots: string[], onChange: () => void, opts: { logger: Logger; rearmMs?: number }): DirectoryWatch {
  const watched = new Map<string, { w: FSWatcher; ino: number }>();
  let closed = false;

  const folderIno = (dir: string): number | undefined => {
    try {
      const st = statSync(dir);
      return st.isDirectory() ? st.ino : undefined;
    } catch {
      return undefined;
    }
  };

  /** every folder under the roots (roots included), with its inode */
  const walk = (): Map<string, number> => {
    const found = new Map<string, number>();
    const visit = (dir: string) => {
      const ino = folderIno(dir);
      if (ino === undefined || found.has(dir)) return;
      found.set(dir, ino);
      let entries: import('node:fs').Dirent[];
      try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return; }
      for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) visit(path.join(dir, e.name));
    };
    for (const root of roots) visit(root);
    return found;
  };

  const unwatch = (dir: string) => {
    watched.get(dir)?.w.close();
    watched.delete(dir);
  };

  const rearm = () => {
    if (closed) return;
    const found = walk();
    for (const [dir, entry] of watched) if (found.get(dir) !== entry.ino) unwatch(dir);
    for (const [dir, ino] of found) {
      if (watched.has(dir)) continue;
      try {
        const w = watch(dir, { persistent: false }, () => { if (!closed) { rearm(); onChange(); } });
        w.on('error', (e) => {
          // the folder went away (deleted, unmounted): the next walk watches it again if it comes back
          opts.logger.warn('configuration watch error', { dir, error: e.message });
          unwatch(dir);
        });
        watched.set(dir, { w, ino });
      } catch (e) {
        opts.logger.warn('configuration folder not watched', { dir, error: e instanceof Error ? e.message : String(e) });
      }
    }
  };

  rearm();
  const known = () => [...watched.keys()].sort().join('\n');
  // a root created or swapped without an event we could see: compare the tree now and then
  const timer = setInterval(() => {
    const before = known();
    rearm();
    if (known() !== before) onChange();
  }, opts.rearmMs ?? 5000);
  timer.unref();

  return {
    folders: () => [...watched.keys()].sort(),
    close() {
      closed = true;
      clearInterval(timer);
      for (const dir of [...watched.keys()]) unwatch(dir);
    },
  };
}
