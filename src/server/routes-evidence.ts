/**
 * GET /api/v1/messages/:id/evidence (staff only): the AS2 non-repudiation evidence of a message
 * (src/transports/as2/evidence-export.ts) as JSON, each file base64 with its size and SHA-256;
 * `?file=<name>` answers that one file's bytes. `edigw evidence` writes the same files to a folder.
 */
import type { Hono } from 'hono';
import { createHash } from 'node:crypto';
import { buildEvidenceExport } from '../transports/as2/evidence-export.ts';
import type { createAuthenticator } from './auth.ts';
import type { AppDeps } from './deps.ts';
import { answerError, apiError, notFoundError, queryInvalid } from './errors.ts';

export function mountEvidence(app: Hono, deps: Pick<AppDeps, 'store'>, auth: ReturnType<typeof createAuthenticator>): void {
  app.get('/api/v1/messages/:id/evidence', auth.require(['operator']), async (c) => {
    const id = c.req.param('id');
    const m = await deps.store.getMessage(id);
    if (!m) return answerError(c, notFoundError('message', id));
    const rows = await deps.store.as2Evidence.evidenceFor(id);
    if (rows.length === 0) {
      return apiError(c, 'message_not_found', `message ${id} has no AS2 evidence: it did not come or go over AS2, or was neither signed nor answered with an MDN`, { messageId: id, transport: m.transport });
    }
    const ex = buildEvidenceExport(rows);
    const name = c.req.query('file');
    if (name !== undefined) {
      const file = ex.files.find((f) => f.name === name);
      if (!file) return answerError(c, queryInvalid('file', `one of ${ex.files.map((f) => f.name).join(', ')}`, name));
      return c.body(new Uint8Array(file.bytes), 200, {
        'content-type': name.endsWith('.txt') || name.endsWith('.pem') || name.endsWith('.json') ? 'text/plain; charset=utf-8' : 'application/octet-stream',
        'content-disposition': `attachment; filename="${name}"`, 'x-content-type-options': 'nosniff',
      });
    }
    return c.json({
      messageId: ex.messageId, direction: ex.direction, partnerId: ex.partnerId, as2MessageId: ex.as2MessageId,
      files: ex.files.map((f) => ({ name: f.name, size: f.bytes.byteLength, sha256: createHash('sha256').update(f.bytes).digest('hex'), contentBase64: Buffer.from(f.bytes).toString('base64') })),
    });
  });
}
