/** Received-Content-MIC (RFC 4130 7.3.1): base64 digest of exact bytes plus the algorithm label. */
import { createHash } from 'node:crypto';
import type { MicAlgorithm } from './oids.ts';
import { micAlgorithmLabel } from './oids.ts';

export interface Mic {
  value: string;
  algorithm: MicAlgorithm;
}

export function computeMic(bytes: Uint8Array, algorithm: MicAlgorithm): Mic {
  return { value: createHash(algorithm).update(bytes).digest('base64'), algorithm };
}

export function formatMic(mic: Mic, label?: string): string {
  return `${mic.value}, ${label ?? micAlgorithmLabel(mic.algorithm)}`;
}

/** Parses `base64, sha-256` into value and algorithm label. */
export function parseReceivedMic(field: string | undefined): { value: string; label: string } | undefined {
  if (!field) return undefined;
  const comma = field.lastIndexOf(',');
  if (comma < 0) return undefined;
  return { value: field.slice(0, comma).trim(), label: field.slice(comma + 1).trim().toLowerCase() };
}
