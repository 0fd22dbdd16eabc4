/**
 * findDeliveryByOutcome writes its JSON key into the statement (not bound), so the lookup matches
 * the expression index made for that key (SQLite 0006, PostgreSQL 0004). Keys come from our code;
 * this refuses anything else rather than build SQL from it.
 */
export function outcomeKey(key: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key)) throw new Error(`findDeliveryByOutcome: bad outcome key ${JSON.stringify(key)}`);
  return key;
}
