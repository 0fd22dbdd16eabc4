/** Partner profiles and the running configuration. */
export { createConfigLoader, loadGatewayConfig, listPartnerFiles, type LoadResult } from './load.ts';
export { watchGatewayConfig, type ConfigWatch } from './watch.ts';
export { assertSenderMatches, isTestTraffic, type EnvelopeSender } from './sender.ts';
export { formatProblem, hasErrors } from './problems.ts';
export { partnerProfileSchema } from './partner-schema.ts';
export { minimalAs2Schema, minimalHttpSchema, minimalSftpSchema } from './transport-schemas.ts';
export { mappingCandidates, normaliseVersion } from './mapping-resolve.ts';
export type * from './types.ts';
export { as2PolicyFor, createAs2PartnerLookup, sftpSecretsFor, type As2PolicyLike, type SftpSecretsLike } from './transport-secrets.ts';
export { POLICY_DEFAULTS, policiesFor, type PartnerPolicies } from './policies.ts';
export { missingSecrets, unresolvedApiKeysReason, type MissingSecret } from './missing-secrets.ts';
