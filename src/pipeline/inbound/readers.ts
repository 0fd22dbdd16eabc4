import { createCsvFormatReader } from '../../formats/csv/format-reader.ts';
import { createEdifactFormatReader } from '../../formats/edifact/format-reader.ts';
import { createJsonReader } from '../../formats/json/format-reader.ts';
import { createXmlFormatReader } from '../../formats/xml/format-reader.ts';
import { createX12FormatReader } from '../../formats/x12/format-reader.ts';
import type { FormatReader, WireFormat } from './units.ts';

/** The format readers the pipeline splits messages with, one per wire format. */
export function createReaders(): Partial<Record<WireFormat, FormatReader>> {
  return {
    csv: createCsvFormatReader(),
    edifact: createEdifactFormatReader(),
    json: createJsonReader(),
    xml: createXmlFormatReader(),
    x12: createX12FormatReader(),
  };
}
