/**
 * Rendering an outbound purchase order with the repository's partners and base mappings: the
 * envelope values checked by hand against X12 004010 (ISA fixed widths, GS, ST/SE counts), the
 * validation refusal, and `edigw render`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCanonicalValidators } from '../../src/canonical/validate.ts';
import { renderCommand } from '../../src/cli/cmd-render.ts';
import { isGatewayError } from '../../src/core/errors.ts';
import { renderOutbound } from '../../src/pipeline/outbound/render.ts';
import type { OutboundConfig } from '../../src/pipeline/outbound/types.ts';
import { loadRepoConfig } from '../golden/gateway-config.ts';
import { purchaseOrder, repoRoot } from './harness.ts';

const { config } = loadRepoConfig();
const deps = { config: config as unknown as OutboundConfig, validators: createCanonicalValidators() };
const now = new Date('2026-11-20T09:30:00Z');

describe('renderOutbound', () => {
  it('renders an X12 004010 850 for acme with the issued control numbers and acme\'s delimiters', async () => {
    const issued: string[] = [];
    const numbers: Record<string, number> = { isa: 7, gs: 8, st: 9 };
    const r = await renderOutbound(deps, 'acme', purchaseOrder, { now, controlNumbers: async (kind) => { issued.push(kind); return numbers[kind]!; } });
    expect(issued).toEqual(['isa', 'gs', 'st']);
    const lines = Buffer.from(r.bytes).toString('latin1').trimEnd().split('\n');
    expect(lines[0]).toBe('ISA*00*          *00*          *ZZ*EDIGW          *ZZ*ACMESUPPLY     *261120*0930*U*00401*000000007*0*P*>~');
    expect(lines[0]).toHaveLength(106);
    expect(lines[1]).toBe('GS*PO*EDIGW*ACMESUPPLY*20261120*0930*8*X*004010~');
    expect(lines[2]).toBe('ST*850*0009~');
    expect(lines[3]).toBe('BEG*00*SA*PO-OUT-1001**20261120~');
    expect(lines).toContain('PO1*1*24*EA*12.5**BP*WID-100*VP*AC-W100~');
    const st = lines.indexOf('ST*850*0009~');
    const se = lines.findIndex((l) => l.startsWith('SE*'));
    expect(lines[se]).toBe(`SE*${se - st + 1}*0009~`);
    expect(lines.slice(-2)).toEqual(['GE*1*8~', 'IEA*1*000000007~']);
    expect(r).toMatchObject({ poNumber: 'PO-OUT-1001', interchangeControlNumber: '000000007', groupControlNumber: '8', transactionControlNumber: '0009', mappingFile: '_base/x12-004010-850.outbound.yaml' });
  });

  it('renders 005010 for globex with its DUNS receiver and GS03 gsId', async () => {
    const r = await renderOutbound(deps, 'globex', purchaseOrder, { now, controlNumbers: async () => 1, ourId: { qualifier: '01', id: '987654321' } });
    const lines = Buffer.from(r.bytes).toString('latin1').split('\n');
    expect(lines[0]).toBe('ISA*00*          *00*          *01*987654321      *01*123456789      *261120*0930*^*00501*000000001*0*P*:~');
    expect(lines[1]).toBe('GS*PO*987654321*GLOBEXAP*20261120*0930*1*X*005010~');
  });

  it('sends from the first of the profile\'s `us.x12` ids (the id the partner addresses, which our 997s to it mirror), over the gateway\'s own id', async () => {
    const acme = config.partner('acme')!;
    const withUs = { ...deps, config: { ...deps.config, partner: (id: string) => (id === 'acme' ? { ...acme, us: { x12: [{ qualifier: '01', id: '123456789', gsId: 'BUYERPO' }, { qualifier: 'ZZ', id: 'BUYERALT' }] } } : deps.config.partner(id)) } as OutboundConfig };
    const r = await renderOutbound(withUs, 'acme', purchaseOrder, { now, controlNumbers: async () => 1, ourId: { qualifier: 'ZZ', id: 'GATEWAYENV' } });
    const lines = Buffer.from(r.bytes).toString('latin1').split('\n');
    // ISA05/ISA06 (sender, 2 + 15 characters), GS02 the gsId
    expect(lines[0]).toBe('ISA*00*          *00*          *01*123456789      *ZZ*ACMESUPPLY     *261120*0930*U*00401*000000001*0*P*>~');
    expect(lines[1]).toBe('GS*PO*BUYERPO*ACMESUPPLY*20261120*0930*1*X*004010~');
  });

  it('refuses an invalid purchase order with every violation and issues no control number', async () => {
    let issued = 0;
    const bad = { ...purchaseOrder, poDate: '20.11.2026', lines: [{ lineNumber: '1', quantity: 'ten' }] } as unknown;
    const e = await renderOutbound(deps, 'acme', bad, { now, controlNumbers: async () => ++issued }).catch((x: unknown) => x);
    expect(isGatewayError(e)).toBe(true);
    if (!isGatewayError(e)) return;
    expect(e.code).toBe('canonical_invalid');
    const pointers = (e.detail.violations as Array<{ pointer: string }>).map((v) => v.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/poDate', '/lines/0/quantity']));
    expect(issued).toBe(0);
  });

  it('refuses an unknown partner and a non-PO type', async () => {
    await expect(renderOutbound(deps, 'nobody', purchaseOrder, { now, controlNumbers: async () => 1 })).rejects.toMatchObject({ code: 'partner_unknown' });
    await expect(renderOutbound(deps, 'acme', { type: 'invoice', document: {} }, { now, controlNumbers: async () => 1 })).rejects.toMatchObject({ code: 'outbound_type_unsupported' });
  });
});

describe('edigw render', () => {
  const env = { EDIGW_PARTNERS_DIR: path.join(repoRoot, 'partners'), EDIGW_MAPPINGS_DIR: path.join(repoRoot, 'mappings') };
  const run = async (argv: string[], cwd: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await renderCommand(argv, { out: (t) => out.push(t), err: (t) => err.push(t), env, cwd });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('prints the 850 with control number 1 by default, or the one given', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'render-'));
    try {
      writeFileSync(path.join(dir, 'po.json'), JSON.stringify({ type: 'purchase_order', document: purchaseOrder }));
      const one = await run(['po.json', '--partner', 'acme', '--date', '2026-11-20T09:30:00Z'], dir);
      expect(one.code).toBe(0);
      expect(one.out.split('\n')[0]).toContain('*000000001*0*P*>~');
      expect(one.out).toContain('GS*PO*EDIGW*ACMESUPPLY*20261120*0930*1*X*004010~');
      const n = await run(['po.json', '--partner', 'acme', '--control-number', '42'], dir);
      expect(n.out).toContain('ST*850*0042~');
      writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ poNumber: 'X' }));
      const bad = await run(['bad.json', '--partner', 'acme'], dir);
      expect(bad.code).toBe(1);
      expect(bad.err).toContain('canonical_invalid');
      expect(bad.err).toContain('/poDate is required');
      await expect(run(['po.json'], dir)).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('--partner <id> is required') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('has --help', async () => {
    const r = await run(['--help'], repoRoot);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: edigw render <canonical.json> --partner <id>');
  });
});
