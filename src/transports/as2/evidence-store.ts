/**
 * AS2 non-repudiation evidence in the database (part of the Store port: `store.as2Evidence`;
 * table as2_evidence, migration sqlite 0015 / postgres 0013). One row per signed artefact of an
 * exchange: the message as received after decryption (or as we signed it, for a send) and the
 * MDN (ours, or the partner's as it came). Kept beside the message, never processed; read only by
 * the evidence export (evidence-export.ts). The same statements for both dialects.
 */
import type Database from 'better-sqlite3';
import type { Pool } from 'pg';

export type EvidencePart = 'message' | 'mdn';

export interface NewEvidence {
  /** the gateway message: the inbound message as ingested, or the outbound message we sent */
  messageId: string;
  direction: 'inbound' | 'outbound';
  partnerId: string | null;
  as2MessageId: string;
  part: EvidencePart;
  /** the entity's Content-Type, as received or sent (with its boundary) */
  contentType: string;
  /** the entity's body, byte for byte */
  body: Uint8Array;
  /** MICs, certificates (PEM), algorithms, timestamps: what the export needs beside the bytes */
  detail: Record<string, unknown>;
  at: string;
}

export interface EvidenceRow extends Omit<NewEvidence, 'body'> {
  seq: number;
  body: Buffer;
}

export interface As2EvidenceMethods {
  addEvidence(e: NewEvidence): Promise<void>;
  /** a message's evidence rows, oldest first */
  evidenceFor(messageId: string): Promise<EvidenceRow[]>;
  /** the gateway message of an AS2 exchange we sent, by its AS2 Message-ID (an asynchronous MDN names only that) */
  outboundMessageFor(as2MessageId: string): Promise<string | undefined>;
}

type Run = (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;

const COLS = `seq, message_id AS "messageId", direction, partner_id AS "partnerId", as2_message_id AS "as2MessageId", part,
  content_type AS "contentType", body, detail, created_at AS "at"`;

function methods(run: Run): As2EvidenceMethods {
  return {
    async addEvidence(e) {
      await run(`INSERT INTO as2_evidence (message_id, direction, partner_id, as2_message_id, part, content_type, body, detail, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [e.messageId, e.direction, e.partnerId, e.as2MessageId, e.part, e.contentType, Buffer.from(e.body.buffer, e.body.byteOffset, e.body.byteLength), JSON.stringify(e.detail), e.at]);
    },
    async evidenceFor(messageId) {
      const rows = await run(`SELECT ${COLS} FROM as2_evidence WHERE message_id = ? ORDER BY seq LIMIT 20`, [messageId]);
      return rows.map((r) => ({ ...r, seq: Number(r.seq), body: Buffer.from(r.body as Uint8Array), detail: JSON.parse(String(r.detail)) as Record<string, unknown> } as EvidenceRow));
    },
    async outboundMessageFor(as2MessageId) {
      const [r] = await run(`SELECT message_id AS "messageId" FROM as2_evidence WHERE as2_message_id = ? AND direction = 'outbound' AND part = 'message'
        ORDER BY seq DESC LIMIT 1`, [as2MessageId]);
      return r ? String(r.messageId) : undefined;
    },
  };
}

export function createSqliteAs2Evidence(raw: Database.Database): As2EvidenceMethods {
  const cache = new Map<string, Database.Statement>();
  return methods(async (sql, params) => {
    let stmt = cache.get(sql);
    if (!stmt) { stmt = raw.prepare(sql); cache.set(sql, stmt); }
    return stmt.reader ? stmt.all(...params) as Array<Record<string, unknown>> : (stmt.run(...params), []);
  });
}

export function createPgAs2Evidence(pool: Pool): As2EvidenceMethods {
  return methods(async (sql, params) => {
    let n = 0;
    return (await pool.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows as Array<Record<string, unknown>>;
  });
}
