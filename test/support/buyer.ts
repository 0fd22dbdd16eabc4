/** BuyerCo: a customer sending us purchase orders as X12 4010 over HTTP (the spine, PostgreSQL and multi-node tests). */
import { readFileSync } from 'node:fs';

export const buyerYaml = `id: buyerco
name: BuyerCo
status: production
identifiers:
  x12: { qualifier: ZZ, id: BUYERCO }
http:
  apiKeyEnv: BUYERCO_API_KEY
acks: { x12: "997", ta1: on_error }
`;

/** the shipped base mapping its 850s are read with */
export const base850 = readFileSync(new URL('../../mappings/_base/x12-004010-850.inbound.yaml', import.meta.url), 'utf8');
