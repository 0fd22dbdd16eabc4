/**
 * Runs the walk-through's steps against a temporary copy of the project's partners/, mappings/ and
 * fixtures/ folders (never the repo's own): `npx edigw …` as `node bin/edigw.js …`, `npm start` as
 * package.json's start script on port 0, `curl …` as fetch, `export NAME=value` into the
 * environment of every later command.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { splitCommand } from './shell-words.ts';

export interface CommandResult { code: number; stdout: string; stderr: string }

export interface Walkthrough {
  root: string;
  env: Record<string, string>;
  writeFile(relPath: string, content: string): void;
  run(command: string): Promise<CommandResult>;
  /** the gateway's log lines since the last file was written */
  gatewayLogSinceLastWrite(): string;
  close(): Promise<void>;
}

export function createWalkthrough(opts: { repo: string; documentedUrl: string }): Walkthrough {
  const { repo } = opts;
  const root = mkdtempSync(path.join(tmpdir(), 'edigw-onboarding-'));
  for (const dir of ['partners', 'mappings', 'fixtures']) cpSync(path.join(repo, dir), path.join(root, dir), { recursive: true });
  mkdirSync(path.join(root, 'data'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? root,
    EDIGW_PARTNERS_DIR: path.join(root, 'partners'),
    EDIGW_MAPPINGS_DIR: path.join(root, 'mappings'),
    EDIGW_FIXTURES_DIR: path.join(root, 'fixtures'),
    EDIGW_DATABASE_URL: path.join(root, 'data', 'gateway.db'),
  };
  let gateway: { child: ChildProcess; url: string; log: string[] } | undefined;
  let logMark = 0;

  const exec = (file: string, args: string[], extraEnv: Record<string, string>) => new Promise<CommandResult>((resolve, reject) => {
    const child = spawn(file, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });

  async function startGateway(extraEnv: Record<string, string>): Promise<CommandResult> {
    if (gateway) throw new Error('the walk-through starts the gateway twice');
    const start = (JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    const [node, ...args] = splitCommand(start).argv;
    if (node !== 'node') throw new Error(`npm start is not a node command: ${start}`);
    const child = spawn(process.execPath, args, {
      cwd: repo, env: { ...env, ...extraEnv, PORT: '0', HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log: string[] = [];
    const url = await new Promise<string>((resolve, reject) => {
      let buf = '';
      const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${log.join('\n')}`)), 30_000);
      child.stderr!.on('data', (d: Buffer) => {
        buf += d.toString();
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          log.push(line);
          try {
            const j = JSON.parse(line) as { msg?: string; port?: number };
            if (j.msg === 'gateway started') { clearTimeout(timer); resolve(`http://127.0.0.1:${j.port}`); }
          } catch { /* not a JSON log line */ }
        }
      });
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`gateway exited with ${code}:\n${log.join('\n')}`)); });
    });
    gateway = { child, url, log };
    logMark = log.length;
    return { code: 0, stdout: '', stderr: log.join('\n') };
  }

  async function curl(argv: string[]): Promise<CommandResult> {
    let method: string | undefined;
    let body: Blob | string | undefined;
    let url: string | undefined;
    const headers = new Headers();
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      const next = () => { const v = argv[++i]; if (v === undefined) throw new Error(`curl ${a} needs a value`); return v; };
      if (a === '-s' || a === '--silent') continue;
      else if (a === '-X') method = next();
      else if (a === '-H') { const h = next(); headers.append(h.slice(0, h.indexOf(':')).trim(), h.slice(h.indexOf(':') + 1).trim()); }
      else if (a === '--data-binary' || a === '-d') { const v = next(); body = v.startsWith('@') ? new Blob([new Uint8Array(readFileSync(path.join(root, v.slice(1))))]) : v; }
      else if (!a.startsWith('-') && url === undefined) url = a;
      else throw new Error(`the walk-through test does not know curl option ${a}`);
    }
    if (!url) throw new Error('curl without a URL');
    if (!gateway) throw new Error('curl before the gateway was started');
    if (!url.startsWith(opts.documentedUrl)) throw new Error(`curl to ${url}, not the documented gateway ${opts.documentedUrl}`);
    if (body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded');
    const res = await fetch(gateway.url + url.slice(opts.documentedUrl.length), { method: method ?? (body !== undefined ? 'POST' : 'GET'), headers, body });
    return { code: 0, stdout: await res.text(), stderr: '' };
  }

  return {
    root,
    env,
    writeFile(relPath, content) {
      const file = path.join(root, relPath);
      if (!file.startsWith(root + path.sep)) throw new Error(`file ${relPath} is outside the project`);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
      logMark = gateway?.log.length ?? 0;
    },
    async run(command) {
      const { env: prefix, argv } = splitCommand(command);
      const [name, ...args] = argv;
      if (name === 'export' && Object.keys(prefix).length === 0) {
        for (const a of args) {
          const eq = a.indexOf('=');
          if (eq < 1) throw new Error(`export without a value: ${a}`);
          env[a.slice(0, eq)] = a.slice(eq + 1);
        }
        return { code: 0, stdout: '', stderr: '' };
      }
      if (name === 'npx' && args[0] === 'edigw') return exec(process.execPath, [path.join(repo, 'bin/edigw.js'), ...args.slice(1)], prefix);
      if (name === 'npm' && args.length === 1 && args[0] === 'start') return startGateway(prefix);
      if (name === 'curl' && Object.keys(prefix).length === 0) return curl(args);
      throw new Error(`the walk-through test does not run this command: ${command}`);
    },
    gatewayLogSinceLastWrite: () => (gateway?.log ?? []).slice(logMark).join('\n'),
    async close() {
      const g = gateway;
      if (g && g.child.exitCode === null && g.child.signalCode === null) {
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => g.child.kill('SIGKILL'), 10_000);
          g.child.once('exit', () => { clearTimeout(force); resolve(); });
          g.child.kill('SIGTERM');
        });
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
