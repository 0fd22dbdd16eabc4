/**
 * What the partner outbox and the supplier portal need of the database (part of the Store port,
 * store.ts: `store.portal`). Tables of migration sqlite 0014 / postgres 0012; the statements are
 * in portal-sql.ts, the same text for both dialects. Times are ISO-8601 UTC strings.
 */
export type OutboxKind = 'purchase_order' | 'functional_ack' | 'disposition';

export interface OutboxRow {
  seq: number;
  id: string;
  partnerId: string;
  kind: OutboxKind;
  /** the message the item is: our outbound PO or functional ack, or the partner's own message (disposition) */
  messageId: string;
  documentId: string | null;
  /** JSON text: what the partner is told about the item */
  summary: string;
  /** ready: waiting for the partner; delivered: the partner acked it */
  status: 'ready' | 'delivered';
  test: boolean;
  leaseUntil: string | null;
  leaseCount: number;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}

export interface NewOutboxItem {
  id: string;
  partnerId: string;
  kind: OutboxKind;
  messageId: string;
  documentId?: string | null;
  summary: Record<string, unknown>;
  test: boolean;
  at: string;
}

export interface PortalUserRow {
  seq: number;
  id: string;
  partnerId: string;
  email: string;
  passwordHash: string | null;
  /** invited: no password yet; active */
  status: 'invited' | 'active';
  failedLogins: number;
  lockedUntil: string | null;
  inviteHash: string | null;
  inviteExpiresAt: string | null;
  invitedBy: string;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
}

export interface PortalSessionRow {
  tokenHash: string;
  userId: string;
  partnerId: string;
  csrf: string;
  createdAt: string;
  expiresAt: string;
}

export interface PortalMethods {
  /**
   * Puts an item in the partner's outbox; the same (partner, kind, message) again (a replayed
   * message's new disposition) updates its summary and makes it ready again, unleased.
   */
  offerOutbox(item: NewOutboxItem): Promise<void>;
  /** leases up to `limit` of the partner's ready items not under a live lease, oldest first */
  leaseOutbox(q: { partnerId: string; now: string; leaseUntil: string; limit: number }): Promise<OutboxRow[]>;
  /** marks the partner's items delivered; ids that are not the partner's are `unknown` (never told apart from missing) */
  ackOutbox(partnerId: string, ids: string[], at: string): Promise<{ acknowledged: OutboxRow[]; unknown: string[] }>;
  /** the partner's items newest first, delivered or not; `before`: the previous page's last seq */
  listOutbox(q: { partnerId: string; limit: number; before?: number }): Promise<OutboxRow[]>;
  getOutbox(partnerId: string, id: string): Promise<OutboxRow | undefined>;

  insertUser(u: Omit<PortalUserRow, 'seq'>): Promise<void>;
  getUser(id: string): Promise<PortalUserRow | undefined>;
  userByEmail(email: string): Promise<PortalUserRow | undefined>;
  userByInvite(inviteHash: string): Promise<PortalUserRow | undefined>;
  listUsers(partnerId: string): Promise<PortalUserRow[]>;
  updateUser(id: string, fields: Partial<Pick<PortalUserRow, 'passwordHash' | 'status' | 'failedLogins' | 'lockedUntil' | 'inviteHash' | 'inviteExpiresAt' | 'lastLoginAt'>>, at: string): Promise<void>;
  /**
   * Takes an invitation once: clears the token and sets the password, only when the row still has
   * this token and it has not expired at `now`; false when another request took it first.
   */
  acceptInvite(inviteHash: string, passwordHash: string, now: string): Promise<boolean>;

  insertSession(s: PortalSessionRow): Promise<void>;
  getSession(tokenHash: string): Promise<PortalSessionRow | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  deleteSessionsOfUser(userId: string): Promise<void>;
}
