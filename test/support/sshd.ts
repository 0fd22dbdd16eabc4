/**
 * A throwaway OpenSSH server for tests: Debian's /usr/sbin/sshd (package openssh-server) with
 * its own config, host key and authorized user key in a temp dir, listening on 127.0.0.1 on a
 * free port, serving SFTP with internal-sftp. Logs in as the current user (root in CI) with a
 * key only. `stop()` kills the listener and every session it forked (a server going down);
 * `restart()` starts it again on the same port with the same host key.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, readlinkSync, existsSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';

export const SSHD_PATH = '/usr/sbin/sshd';

export interface TestSshd {
  host: string;
  port: number;
  /** "SHA256:<base64>" exactly as `ssh-keygen -lf` prints it */
  hostKeySha256: string;
  username: string;
  /** the authorized user's OpenSSH private key (ed25519) */
  privateKey: string;
  /** temp dir holding config and keys; `files` below it is where tests put remote files */
  rootDir: string;
  /** an empty directory for remote files, `${rootDir}/files` */
  filesDir: string;
  /** set when started with { passwordUser: true } */
  passwordAccount?: PasswordAccount;
  /** sshd's own log so far (listening, logins, disconnects) */
  log(): string;
  /** files the server's session processes hold open right now (from /proc/<pid>/fd) */
  openFiles(): string[];
  /** pids of sshd processes serving sessions right now (children of the listener) */
  sessionPids(): number[];
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** stop and remove the temp dir */
  dispose(): Promise<void>;
}

export function sshdAvailable(): boolean {
  return existsSync(SSHD_PATH);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function keygen(file: string, comment: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], { stdio: 'ignore' });
}

/** direct children of a pid, from /proc (Linux) */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...; comm may hold spaces, so split after the last ')'
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch { /* process gone */ }
  }
  return out;
}

function descendantsOf(pid: number): number[] {
  const all: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const next = queue.shift()!;
    for (const c of childrenOf(next)) { all.push(c); queue.push(c); }
  }
  return all;
}

function openFilesOf(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try { return [readlinkSync(`/proc/${pid}/fd/${fd}`)]; } catch { return []; }
    }).filter((target) => target.startsWith('/'));
  } catch {
    return [];
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try { process.kill(pid, signal); } catch { /* already gone */ }
}

export interface SshdOptions {
  /**
   * Also allow password login for a local system account created for tests (needs root):
   * `edigw-sftp-test`, with a fresh random password each start. The user can read and write
   * only what the test chowns to it.
   */
  passwordUser?: boolean;
}

export interface PasswordAccount {
  username: string;
  password: string;
  uid: number;
  gid: number;
}

const PASSWORD_USER = 'edigw-sftp-test';

function ensurePasswordAccount(): PasswordAccount {
  try {
    execFileSync('id', ['-u', PASSWORD_USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--no-create-home', '--home-dir', '/nonexistent', '--shell', '/bin/sh', PASSWORD_USER], { stdio: 'ignore' });
  }
  const password = randomBytes(12).toString('base64url');
  execFileSync('chpasswd', { input: `${PASSWORD_USER}:${password}\n` });
  const uid = Number(execFileSync('id', ['-u', PASSWORD_USER], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', PASSWORD_USER], { encoding: 'utf8' }).trim());
  return { username: PASSWORD_USER, password, uid, gid };
}

export async function startSshd(options: SshdOptions = {}): Promise<TestSshd> {
  if (!sshdAvailable()) throw new Error(`${SSHD_PATH} not found: install the Debian package openssh-server`);
  // sshd refuses to start without its privilege separation directory; the Debian package only
  // creates it when the system service starts, which never happens in a container or CI.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const rootDir = mkdtempSync(path.join(tmpdir(), 'edigw-sshd-'));
  const filesDir = path.join(rootDir, 'files');
  mkdirSync(filesDir);
  const hostKey = path.join(rootDir, 'ssh_host_ed25519_key');
  const userKey = path.join(rootDir, 'user_ed25519');
  keygen(hostKey, 'edigw-test-host');
  keygen(userKey, 'edigw-test-user');
  writeFileSync(path.join(rootDir, 'authorized_keys'), readFileSync(`${userKey}.pub`), { mode: 0o600 });
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${hostKey}.pub`], { encoding: 'utf8' }).split(' ')[1];
  if (!fingerprint?.startsWith('SHA256:')) throw new Error(`unexpected ssh-keygen -lf output for ${hostKey}.pub`);

  const port = await freePort();
  const username = userInfo().username;
  const passwordAccount = options.passwordUser ? ensurePasswordAccount() : undefined;
  if (passwordAccount) chmodSync(rootDir, 0o755); // let the account reach files/ (mkdtemp makes it 0700)
  const configFile = path.join(rootDir, 'sshd_config');
  writeFileSync(configFile, [
    'ListenAddress 127.0.0.1',
    `Port ${port}`,
    `HostKey ${hostKey}`,
    `PidFile ${path.join(rootDir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${path.join(rootDir, 'authorized_keys')}`,
    'PubkeyAuthentication yes',
    `PasswordAuthentication ${passwordAccount ? 'yes' : 'no'}`,
    'PermitEmptyPasswords no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'StrictModes no',
    'UsePAM no',
    'UseDNS no',
    'MaxStartups 100:30:200',
    'MaxSessions 50',
    'Subsystem sftp internal-sftp',
    'LogLevel INFO',
    '',
  ].join('\n'));

  let child: ChildProcess | undefined;
  let log = '';

  const launch = () => new Promise<void>((resolve, reject) => {
    const proc = spawn(SSHD_PATH, ['-D', '-e', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    const timer = setTimeout(() => reject(new Error(`sshd did not start within 10 s:\n${log}`)), 10_000);
    proc.stderr!.setEncoding('utf8');
    proc.stderr!.on('data', (chunk: string) => {
      log += chunk;
      if (log.length > 2_000_000) log = log.slice(-1_000_000);
      if (chunk.includes('Server listening on')) { clearTimeout(timer); resolve(); }
    });
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`sshd exited (${code}) before listening:\n${log}`)); });
    proc.once('error', (e) => { clearTimeout(timer); reject(e); });
  });

  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc?.pid || proc.exitCode !== null) return;
    // sessions run in their own process sessions (setsid), so kill them by parentage first
    const sessions = descendantsOf(proc.pid);
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    killQuietly(proc.pid, 'SIGKILL');
    for (const pid of sessions) killQuietly(pid, 'SIGKILL');
    await exited;
  };

  await launch();
  return {
    host: '127.0.0.1',
    port,
    hostKeySha256: fingerprint,
    username,
    privateKey: readFileSync(userKey, 'utf8'),
    ...(passwordAccount ? { passwordAccount } : {}),
    rootDir,
    filesDir,
    log: () => log,
    openFiles: () => (child?.pid ? descendantsOf(child.pid).flatMap(openFilesOf) : []),
    sessionPids: () => (child?.pid ? childrenOf(child.pid) : []),
    stop,
    restart: async () => { await stop(); await launch(); },
    dispose: async () => { await stop(); rmSync(rootDir, { recursive: true, force: true }); },
  };
}
