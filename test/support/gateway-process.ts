/**
 * Runs the gateway as a real child process (`node --max-semi-space-size=4 --import tsx src/main.ts`), as `npm start` does,
 * so tests can kill -9 it and start it again on the same database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  stderr: string[];
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/** `startTimeoutMs`: how long the start may take (default 30 s; a loaded machine opening a large database needs more) */
export async function spawnGateway(env: Record<string, string>, opts: { startTimeoutMs?: number } = {}): Promise<GatewayProcess> {
  // the flags and environment of `npm start` (package.json): 4 MB semi-spaces, two malloc arenas
  const child = spawn(process.execPath, ['--max-semi-space-size=4', '--import', 'tsx', 'src/main.ts'], {
    cwd: repo, env: { ...process.env, MALLOC_ARENA_MAX: '2', PORT: '0', HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`gateway did not start in ${(opts.startTimeoutMs ?? 30_000) / 1000} s:\n${stderr.join('\n')}`)); }, opts.startTimeoutMs ?? 30_000);
    child.stderr!.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        stderr.push(line);
        try {
          const j = JSON.parse(line) as { msg?: string; port?: number };
          if (j.msg === 'gateway started') { clearTimeout(timer); resolve(`http://127.0.0.1:${j.port}`); }
        } catch { /* not a log line */ }
      }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`gateway exited with ${code}:\n${stderr.join('\n')}`)); });
  });
  return {
    url, child, stderr,
    kill: (signal) => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
      child.once('exit', (code) => resolve(code));
      child.kill(signal);
    }),
  };
}
