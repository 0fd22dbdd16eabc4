import { createJsonReader } from './formats/json-reader.ts';
import { createX12FormatReader } from './formats/x12-reader.ts';
import type { FormatReader, WireFormat } from './units.ts';

/** The format readers the pipeline splits messages with, one per wire format. */
export function createReaders(): Partial<Record<WireFormat, FormatReader>> {
  return {
    json: createJsonReader(),
    x12: createX12FormatReader(),
  };
}
