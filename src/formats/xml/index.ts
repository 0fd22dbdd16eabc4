/** Public API of the XML / cXML codec. */
export { parseXml, type XmlDocument, type XmlReadOptions } from './reader.ts';
export { readCxml, buildCxmlResponse, cxmlStatusForError, CXML_STATUS, CXML_REQUEST_TYPES, type CxmlEnvelope, type CxmlCredential } from './cxml.ts';
