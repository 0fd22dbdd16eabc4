import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCanonicalValidators } from '../canonical/validate.ts';
import { isGatewayError } from '../core/errors.ts';
import { DEFAULT_OUR_X12, renderOutbound } from '../pipeline/outbound/render.ts';
import { CliError, loadConfigOrExplain, type Io } from './context.ts';

export const renderHelp = `Usage: edigw render <canonical.json> --partner <id> [--control-number <n>] [--our-id <qualifier>/<id>] [--date <iso>]

Renders a canonical purchase_order (the document, or an envelope holding it) as the partner's
outbound wire document (X12 850 for X12 partners) and prints it. Stores and sends nothing.

Options:
  --partner <id>          render for this partner (partners/<id>.yaml); required
  --control-number <n>    ISA13, GS06 and ST02 to use (default 1)
  --our-id <q>/<id>       our X12 sender (ISA05/ISA06, GS02) when the profile names none in us.x12;
                          default ${DEFAULT_OUR_X12.qualifier}/${DEFAULT_OUR_X12.id}
  --date <iso>            interchange date and time (default: now)
  -h, --help              show this help

Exit status: 0 when rendered, 1 when the document is invalid or cannot be rendered (errors on stderr), 2 on usage errors.`;

export async function renderCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { partner: { type: 'string' }, 'control-number': { type: 'string' }, 'our-id': { type: 'string' }, date: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) { io.out(renderHelp); return 0; }
  if (positionals.length !== 1) throw new CliError(`render takes exactly one canonical JSON file\n\n${renderHelp}`, 2);
  if (!values.partner) throw new CliError(`--partner <id> is required\n\n${renderHelp}`, 2);
  const control = Number(values['control-number'] ?? '1');
  if (!Number.isInteger(control) || control < 1 || control > 999_999_999) throw new CliError(`--control-number must be an integer from 1 to 999999999, got "${values['control-number']}"`, 2);
  let ourId = DEFAULT_OUR_X12;
  if (values['our-id']) {
    const m = /^([^/]{1,2})\/(.{1,15})$/.exec(values['our-id']);
    if (!m) throw new CliError(`--our-id must be <qualifier>/<id> (e.g. ZZ/EDIGW), got "${values['our-id']}"`, 2);
    ourId = { qualifier: m[1]!, id: m[2]! };
  }
  const now = values.date ? new Date(values.date) : new Date();
  if (Number.isNaN(now.getTime())) throw new CliError(`--date must be an ISO date-time, got "${values.date}"`, 2);
  const file = path.resolve(io.cwd, positionals[0]!);
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new CliError(err.code ? `cannot read ${file}: ${err.code}` : `${file} is not JSON: ${err.message}`, 2);
  }
  const { config } = loadConfigOrExplain(io.env);
  try {
    const r = await renderOutbound({ config, validators: createCanonicalValidators() }, values.partner, input, { controlNumbers: async () => control, now, ourId });
    io.out(Buffer.from(r.bytes).toString(r.format === 'x12' ? 'latin1' : 'utf8').replace(/\n$/, ''));
    return 0;
  } catch (e) {
    if (!isGatewayError(e)) throw e;
    io.err(`${path.basename(file)}: ${e.code}: ${e.message}`);
    return 1;
  }
}
