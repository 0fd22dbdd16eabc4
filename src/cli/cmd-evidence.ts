import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../db/open-store.ts';
import { buildEvidenceExport } from '../transports/as2/evidence-export.ts';
import { CliError, dirsFromEnv, type Io } from './context.ts';

export const evidenceHelp = `Usage: edigw evidence <message id> [--out <dir>]

Writes the AS2 non-repudiation evidence of one message (received or sent over AS2) to a folder,
from the database in EDIGW_DATABASE_URL (the running gateway's):
  message.eml, message-content.bin, message-signature.p7s   the signed message as received after
      decryption (or as we signed it), the exact bytes its signature covers, the signature (DER)
  mdn.eml, mdn-content.bin, mdn-signature.p7s               the signed MDN (ours, or the partner's)
  partner-certificate.pem, our-certificate.pem              the certificates that signed, as then
  evidence.json                                             MICs (ours and the MDN's), dispositions, times
  README.txt                                                which openssl command verifies which file
The same files: GET /api/v1/messages/<id>/evidence (staff).

Options:
  --out <dir>   where to write (created when absent; default ./evidence-<message id>)
  -h, --help    show this help

Exit status: 0 when written; 1 when the message has no AS2 evidence; 2 on a usage error.`;

export async function evidenceCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { io.out(evidenceHelp); return 0; }
  if (positionals.length !== 1) throw new CliError(`evidence needs exactly one message id\n\n${evidenceHelp}`, 2);
  const id = positionals[0]!;
  const store = await openStore(dirsFromEnv(io.env).databaseUrl, { blobDir: io.env.EDIGW_BLOB_DIR || undefined });
  try {
    const m = await store.getMessage(id);
    if (!m) throw new CliError(`message ${id} does not exist`, 1);
    const rows = await store.as2Evidence.evidenceFor(id);
    if (rows.length === 0) throw new CliError(`message ${id} (${m.transport}) has no AS2 evidence: it did not come or go over AS2, or was neither signed nor answered with an MDN`, 1);
    const ex = buildEvidenceExport(rows);
    const dir = path.resolve(io.cwd, values.out ?? `evidence-${id}`);
    mkdirSync(dir, { recursive: true });
    for (const f of ex.files) writeFileSync(path.join(dir, f.name), f.bytes);
    io.out(`${ex.files.length} files for ${ex.direction} AS2 message ${ex.as2MessageId} (partner ${ex.partnerId ?? 'unknown'}) written to ${dir}; see README.txt`);
    return 0;
  } finally {
    await store.close();
  }
}
