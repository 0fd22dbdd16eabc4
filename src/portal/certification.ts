/**
 * Self-service certification: while a partner's profile says `status: test`, the portal runs the
 * checklist the profile declares (`certification.steps`; by default receive a test 850, answer it
 * with an 855, send an 856 and an 810 that match it). Each step is judged from what is stored —
 * our newest test purchase order to the partner and the partner's documents correlated to it —
 * and shows the canonical result and every validation and lifecycle finding (the document's
 * warnings, the exceptions of its message, a held status). When every step passes, an operator
 * approves (POST /api/v1/portal/certification/:partner/approve, admin): the profile's `status:
 * test` line becomes `status: production` (the file is written in place, comments kept), the
 * configuration is reloaded (src/config/watch.ts) and the approval is in the audit log.
 * Cost: one partner's newest purchase orders and one PO's documents.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Store } from '../db/store.ts';
import type { DocumentRow } from '../db/schema.ts';
import type { PartnerProfile } from '../config/types.ts';
import { GatewayError } from '../core/errors.ts';

type DocType = 'purchase_order' | 'purchase_order_ack' | 'ship_notice' | 'invoice';
export interface CertificationStep { do: 'receive' | 'send'; type: DocType; title?: string }

export const DEFAULT_STEPS: CertificationStep[] = [
  { do: 'receive', type: 'purchase_order', title: 'Receive a test purchase order (850)' },
  { do: 'send', type: 'purchase_order_ack', title: 'Acknowledge it (855)' },
  { do: 'send', type: 'ship_notice', title: 'Send a ship notice that matches it (856)' },
  { do: 'send', type: 'invoice', title: 'Send an invoice that matches it (810)' },
];

const NAMES: Record<DocType, string> = { purchase_order: 'purchase order', purchase_order_ack: 'purchase order acknowledgement', ship_notice: 'ship notice', invoice: 'invoice' };
/** 'an invoice', 'a ship notice' */
const aName = (t: DocType) => `${/^[aeiou]/.test(NAMES[t]) ? 'an' : 'a'} ${NAMES[t]}`;

export interface StepResult {
  title: string;
  do: 'receive' | 'send';
  type: DocType;
  passed: boolean;
  /** what the step still needs, in words */
  status: string;
  document?: { id: string; messageId: string; businessKey: string | null; status: string; createdAt: string; canonical: unknown };
  findings: Array<{ kind: 'warning' | 'exception' | 'held'; code: string; message: string }>;
}

export interface CertificationReport {
  partnerId: string;
  partnerStatus: string;
  /** false once the partner is in production: nothing to certify */
  applies: boolean;
  poNumber?: string;
  steps: StepResult[];
  passed: boolean;
}

export async function certificationReport(store: Store, partner: Pick<PartnerProfile, 'id' | 'status'> & { certification?: { steps: CertificationStep[] } }): Promise<CertificationReport> {
  const steps = partner.certification?.steps ?? DEFAULT_STEPS;
  // our newest test purchase order to this partner is the one the checklist is about
  const po = (await store.findDocuments({ partnerId: partner.id, type: 'purchase_order', limit: 20 })).find((d) => d.direction === 'outbound' && d.test);
  const related = po?.businessKey ? (await store.documentsByCorrelation(po.businessKey)).filter((d) => d.partnerId === partner.id && d.direction === 'inbound') : [];
  const results: StepResult[] = [];
  for (const s of steps) {
    const title = s.title ?? `${s.do === 'receive' ? 'Receive' : 'Send'} a test ${NAMES[s.type]}`;
    if (s.do === 'receive') {
      const doc = s.type === 'purchase_order' ? po : undefined;
      results.push({ title, do: s.do, type: s.type, passed: Boolean(doc), findings: [],
        status: doc ? `received: ${NAMES[s.type]} ${doc.businessKey}` : `waiting: the buyer has not sent a test ${NAMES[s.type]} yet`, ...(doc ? { document: docView(doc) } : {}) });
      continue;
    }
    if (!po) { results.push({ title, do: s.do, type: s.type, passed: false, findings: [], status: 'waiting: first receive the test purchase order' }); continue; }
    // the newest of the partner's documents of this type for the PO
    const doc = related.filter((d) => d.type === s.type).at(-1);
    if (!doc) { results.push({ title, do: s.do, type: s.type, passed: false, findings: [], status: `to do: send ${aName(s.type)} for PO ${po.businessKey}` }); continue; }
    const env = JSON.parse(doc.envelope) as { warnings?: Array<{ code: string; message: string }> };
    const findings: StepResult['findings'] = (env.warnings ?? []).map((w) => ({ kind: 'warning' as const, code: w.code, message: w.message }));
    for (const e of await store.listExceptions({ messageId: doc.messageId, status: 'open', limit: 50 })) {
      if (!e.documentId || e.documentId === doc.id) findings.push({ kind: 'exception', code: e.code, message: e.message });
    }
    if (doc.status === 'held') findings.push({ kind: 'held', code: 'document_held', message: 'the document is held back from the ERP by a lifecycle rule' });
    const passed = findings.length === 0;
    results.push({ title, do: s.do, type: s.type, passed, findings, document: docView(doc),
      status: passed ? `passed: ${NAMES[s.type]} ${doc.businessKey ?? ''} matches PO ${po.businessKey}`.trim() : `not yet: ${findings.length} finding(s) to fix, then send it again` });
  }
  return { partnerId: partner.id, partnerStatus: partner.status, applies: partner.status === 'test', ...(po?.businessKey ? { poNumber: po.businessKey } : {}), steps: results, passed: partner.status === 'test' && results.every((r) => r.passed) };
}

function docView(d: DocumentRow) {
  return { id: d.id, messageId: d.messageId, businessKey: d.businessKey, status: d.status, createdAt: d.createdAt, canonical: (JSON.parse(d.envelope) as { document?: unknown }).document };
}

/**
 * Switches the profile file to production: its top-level `status: test` line is rewritten (the
 * rest of the file, comments included, stays as it was), written to a temporary file and renamed.
 */
export function switchProfileToProduction(file: string): void {
  const text = readFileSync(file, 'utf8');
  const re = /^status:[ \t]*(["']?)test\1[ \t]*(#.*)?$/m;
  if (!re.test(text)) throw new GatewayError('profile_not_in_test', `${file} has no top-level "status: test" line to switch`, { file });
  const next = text.replace(re, (_m, _q, comment?: string) => `status: production${comment ? ` ${comment}` : ''}`);
  const tmp = `${file}.certifying`;
  writeFileSync(tmp, next);
  renameSync(tmp, file);
}
