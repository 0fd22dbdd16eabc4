/**
 * Push delivery jobs and control numbers on PostgreSQL: the two places where several nodes
 * compete for the same row, each settled by one conditional statement.
 */
import { outcomeKey } from '../outcome-key.ts';
import { and, asc, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Store } from '../store.ts';
import * as schema from './schema.ts';

const { controlNumbers, deliveryJobs, documents } = schema;
type Db = NodePgDatabase<typeof schema>;

export type DeliveryMethods = Pick<Store, 'enqueueDelivery' | 'deliveryPartners' | 'pendingDeliveries' | 'pendingJobs' | 'getDeliveryJob'
  | 'findDeliveryByOutcome' | 'leaseDelivery' | 'updateDelivery' | 'nextControlNumber'>;

export function createPgDelivery(db: Db): DeliveryMethods {
  return {
    async enqueueDelivery(j) {
      // the unique (document_id, target) index makes a second enqueue, from any node, a no-op
      const r = await db.insert(deliveryJobs).values({
        id: j.id, documentId: j.documentId, partnerId: j.partnerId, target: j.target, status: 'pending',
        nextAttemptAt: j.at, createdAt: j.at, updatedAt: j.at,
      }).onConflictDoNothing();
      return (r.rowCount ?? 0) > 0;
    },
    async deliveryPartners(target) {
      const rows = await db.selectDistinct({ p: deliveryJobs.partnerId }).from(deliveryJobs)
        .where(and(eq(deliveryJobs.target, target), eq(deliveryJobs.status, 'pending')));
      return rows.map((r) => r.p);
    },
    async pendingDeliveries(target, partnerId, limit) {
      const rows = await db.select({ job: deliveryJobs, envelope: documents.envelope, messageId: documents.messageId })
        .from(deliveryJobs).innerJoin(documents, eq(documents.id, deliveryJobs.documentId))
        .where(and(eq(deliveryJobs.target, target), eq(deliveryJobs.partnerId, partnerId), eq(deliveryJobs.status, 'pending')))
        .orderBy(asc(deliveryJobs.seq)).limit(limit);
      return rows.map((r) => ({ ...r.job, envelope: r.envelope, messageId: r.messageId }));
    },
    async pendingJobs(target, limit) {
      return db.select().from(deliveryJobs)
        .where(and(eq(deliveryJobs.target, target), eq(deliveryJobs.status, 'pending')))
        .orderBy(asc(deliveryJobs.seq)).limit(limit);
    },
    async findDeliveryByOutcome(target, key, value) {
      // SQLite: json_valid(last_error) AND json_extract(last_error, '$.key') = value
      const [row] = await db.select().from(deliveryJobs).where(and(
        eq(deliveryJobs.target, target), sql`edigw_try_jsonb(${deliveryJobs.lastError}) ->> ${sql.raw(`'${outcomeKey(key)}'`)} = ${value}`,
      )).orderBy(desc(deliveryJobs.seq)).limit(1);
      return row;
    },
    async getDeliveryJob(id) {
      const [row] = await db.select().from(deliveryJobs).where(eq(deliveryJobs.id, id));
      return row;
    },
    /**
     * One conditional UPDATE: when two nodes lease the same job at once, the second waits for the
     * first's row lock, re-evaluates the WHERE on the committed row (READ COMMITTED), finds a live
     * lease and updates nothing. Exactly one node gets true.
     */
    async leaseDelivery(id, until, now) {
      const r = await db.update(deliveryJobs).set({ leaseUntil: until }).where(and(
        eq(deliveryJobs.id, id), eq(deliveryJobs.status, 'pending'),
        or(isNull(deliveryJobs.leaseUntil), lt(deliveryJobs.leaseUntil, now)),
      ));
      return (r.rowCount ?? 0) > 0;
    },
    async updateDelivery(id, fields, at) {
      await db.update(deliveryJobs).set({ ...fields, updatedAt: at }).where(eq(deliveryJobs.id, id));
    },
    /**
     * One statement, atomic across nodes: the first call inserts 1; later ones increment the row
     * under its row lock (concurrent callers queue on it and each sees the previous commit), and
     * the value at `max` rolls over to 1. The number is returned only after COMMIT (autocommit,
     * synchronous_commit on), so a crash never hands out a number twice.
     */
    async nextControlNumber(partnerId, kind, max, at) {
      const [row] = await db.insert(controlNumbers).values({ partnerId, kind, value: 1, updatedAt: at })
        .onConflictDoUpdate({
          target: [controlNumbers.partnerId, controlNumbers.kind],
          set: {
            value: sql`CASE WHEN ${controlNumbers.value} >= ${max} THEN 1 ELSE ${controlNumbers.value} + 1 END`,
            updatedAt: sql`excluded.updated_at`,
          },
        })
        .returning({ value: controlNumbers.value });
      if (!row) throw new Error(`no control number returned for ${partnerId}/${kind}`);
      return row.value;
    },
  };
}
