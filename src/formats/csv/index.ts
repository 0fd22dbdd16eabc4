/** Public API of the CSV codec. */
export { parseCsv, readCsv, type CsvDocument, type CsvProfile } from './reader.ts';
