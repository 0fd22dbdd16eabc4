import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCanonicalValidators } from '../canonical/validate.ts';
import { createReaders } from '../pipeline/readers.ts';
import { translateFile } from '../pipeline/translate-file.ts';
import { CliError, loadConfigOrExplain, type Io } from './context.ts';

export const translateHelp = `Usage: edigw translate <file> [--partner <id>] [--message <name>] [--content-type <type>]

Translates a partner file (X12, EDIFACT, CSV, XML or JSON) to canonical documents and prints
them as JSON. Stores nothing. Without --partner the partner is found from the envelope ids; when
none matches, the base mappings for the detected standard, message and version apply.

Options:
  --partner <id>         translate as this partner (partners/<id>.yaml)
  --message <name>       the partner's message name for CSV/JSON files with several mappings
  --content-type <type>  declare the format when it cannot be detected (text/csv)
  -h, --help             show this help

Exit status: 0 when every document translated and validated, 1 otherwise (errors on stderr).`;

export async function translateCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { partner: { type: 'string' }, message: { type: 'string' }, 'content-type': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) { io.out(translateHelp); return 0; }
  if (positionals.length !== 1) throw new CliError(`translate takes exactly one file\n\n${translateHelp}`, 2);
  const file = path.resolve(io.cwd, positionals[0]!);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 2);
  }
  const { config } = loadConfigOrExplain(io.env);
  const result = await translateFile(
    { config, readers: createReaders(), validators: createCanonicalValidators() },
    bytes, { partnerId: values.partner, message: values.message, contentType: values['content-type'] },
  );
  io.out(JSON.stringify(result.documents.map(({ usedRules: _u, ...d }) => d), null, 2));
  for (const e of result.errors) {
    io.err(`${path.basename(file)}${e.unit !== undefined ? ` (document ${e.unit + 1})` : ''}: ${e.code}: ${e.message}`);
  }
  return result.errors.length === 0 ? 0 : 1;
}
