/**
 * JSON Schema (draft 2020-12) of a partner profile, partners/<id>.yaml. The transport blocks
 * (as2, sftp, http) are only "an object" here: each is checked against its transport's own
 * schema (injected by the caller) or, absent one, the minimal schemas in transport-schemas.ts.
 */
import { documentTypes } from '../canonical/schemas.ts';

const oneChar = { type: 'string', minLength: 1, maxLength: 1 };
const documentExchange = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'format'],
  properties: {
    type: { enum: [...documentTypes] },
    format: { enum: ['x12', 'edifact', 'csv', 'json', 'xml'] },
    message: { type: 'string', minLength: 1, description: 'the message: X12 transaction set ("856"), EDIFACT message (DESADV) or a name' },
    version: { type: 'string', minLength: 1, description: 'the version: X12 GS08 ("004010"), EDIFACT directory (D96A)' },
  },
  allOf: [
    { if: { properties: { format: { enum: ['x12', 'edifact'] } }, required: ['format'] }, then: { required: ['message', 'version'] } },
  ],
};

const cxmlCredential = {
  type: 'object',
  additionalProperties: false,
  required: ['domain', 'identity'],
  properties: {
    domain: { type: 'string', minLength: 1, description: 'the credential domain, e.g. NetworkID, DUNS' },
    identity: { type: 'string', minLength: 1 },
  },
};
/** outbound.cxml: the cXML envelope of what we send (Header From/To/Sender, deploymentMode, version) */
const cxmlOutbound = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to'],
  properties: {
    from: cxmlCredential,
    to: cxmlCredential,
    sender: cxmlCredential,
    userAgent: { type: 'string', minLength: 1 },
    deploymentMode: { enum: ['production', 'test'] },
    version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+$', description: 'a cXML version such as 1.2.014' },
    lang: { type: 'string', pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$', description: 'a language tag such as en-US' },
    payloadIdDomain: { type: 'string', pattern: '^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$', description: 'a host name such as buyer.example.com' },
  },
};

const x12Identity = {
  type: 'object',
  additionalProperties: false,
  required: ['qualifier', 'id'],
  properties: {
    qualifier: { type: 'string', pattern: '^[0-9A-Z]{2}$', description: 'a two-character ISA05 qualifier such as ZZ, 01, 12' },
    id: { type: 'string', minLength: 1, maxLength: 15, pattern: '^\\S(.*\\S)?$', description: 'ISA06 without padding' },
    gsId: { type: 'string', minLength: 2, maxLength: 15, description: 'GS02 when it differs from ISA06' },
  },
};
const edifactIdentity = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 35 },
    qualifier: { type: 'string', minLength: 1, maxLength: 4 },
  },
};
const as2Identity = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]([\\x20-\\x7e]*[\\x21-\\x7e])?$', description: 'printable ASCII (RFC 4130), case-sensitive, without the header quotes' };
/** one value, or a list of them (if/else keeps each branch's errors precise: no oneOf summary) */
const oneOrMany = (item: object) => ({ if: { type: 'array' }, then: { type: 'array', minItems: 1, items: item }, else: item });

export const partnerProfileSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://edi-gateway/schemas/partner-profile.json',
  title: 'Partner profile',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'status', 'identifiers'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$', description: 'lower-case letters, digits, "-" and "_" (the file name without .yaml)' },
    name: { type: 'string', minLength: 1 },
    status: { enum: ['test', 'production'] },
    identifiers: {
      type: 'object',
      additionalProperties: false,
      properties: {
        // one identity, or several (e.g. a ZZ id for 855s and a DUNS for 856s): the first is the one we address
        x12: oneOrMany(x12Identity),
        edifact: oneOrMany(edifactIdentity),
        as2: oneOrMany(as2Identity),
      },
    },
    us: {
      type: 'object',
      additionalProperties: false,
      description: "our own identities toward this partner: the receiver its interchanges must name (ISA07/08, UNB S003, AS2-To)",
      properties: {
        x12: {
          type: 'array', minItems: 1,
          items: {
            type: 'object', additionalProperties: false, required: ['qualifier', 'id'],
            properties: {
              qualifier: { type: 'string', pattern: '^[0-9A-Z]{2}$', description: 'a two-character ISA07 qualifier such as ZZ, 01, 12' },
              id: { type: 'string', minLength: 1, maxLength: 15, pattern: '^\\S(.*\\S)?$', description: 'ISA08 without padding' },
              gsId: { type: 'string', minLength: 2, maxLength: 15, description: 'GS03 when it differs from ISA08' },
            },
          },
        },
        edifact: {
          type: 'array', minItems: 1,
          items: {
            type: 'object', additionalProperties: false, required: ['id'],
            properties: { id: { type: 'string', minLength: 1, maxLength: 35 }, qualifier: { type: 'string', minLength: 1, maxLength: 4 } },
          },
        },
        as2: {
          type: 'array', minItems: 1,
          items: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]([\\x20-\\x7e]*[\\x21-\\x7e])?$', description: 'printable ASCII (RFC 4130), case-sensitive, without the header quotes' },
        },
      },
    },
    antiSpoofing: {
      type: 'object',
      additionalProperties: false,
      required: ['policy'],
      description: 'a unit whose sender is not this partner, whose receiver is not us, or whose document is not in documents.inbound',
      properties: { policy: { enum: ['reject', 'warn'] } },
    },
    documents: {
      type: 'object',
      additionalProperties: false,
      properties: {
        inbound: { type: 'array', items: documentExchange },
        outbound: { type: 'array', items: documentExchange },
      },
    },
    formats: {
      type: 'object',
      additionalProperties: false,
      properties: {
        csv: {
          type: 'object',
          additionalProperties: false,
          properties: {
            delimiter: { type: 'string', minLength: 1, maxLength: 1 },
            quote: oneChar,
            encoding: { enum: ['utf-8', 'utf-16le', 'windows-1252', 'iso-8859-1', 'iso-8859-15'] },
            header: { type: 'boolean' },
            columns: {
              type: 'object',
              description: 'canonical column name -> header name (string) or 0-based position (integer)',
              additionalProperties: { type: ['string', 'integer'] },
            },
            groupBy: { type: ['string', 'integer'] },
            skipRows: { type: 'integer', minimum: 0 },
          },
        },
        json: {
          type: 'object',
          additionalProperties: false,
          properties: { canonical: { type: 'boolean' } },
        },
        x12: {
          type: 'object',
          additionalProperties: false,
          properties: {
            elementSeparator: oneChar,
            componentSeparator: oneChar,
            repetitionSeparator: oneChar,
            segmentTerminator: { type: 'string', minLength: 1, maxLength: 3 },
          },
        },
        edifact: {
          type: 'object',
          additionalProperties: false,
          properties: {
            componentSeparator: oneChar,
            elementSeparator: oneChar,
            decimalMark: { enum: ['.', ','] },
            releaseCharacter: oneChar,
            segmentTerminator: oneChar,
            charset: { enum: ['UNOA', 'UNOB', 'UNOC', 'UNOD', 'UNOE', 'UNOF', 'UNOW', 'UNOY'] },
            syntaxVersion: { enum: ['1', '2', '3', '4'] },
          },
        },
        xml: {
          type: 'object',
          additionalProperties: false,
          properties: {
            rootElement: { type: 'string', minLength: 1 },
            namespaces: { type: 'object', additionalProperties: { type: 'string' } },
          },
        },
      },
    },
    as2: { type: 'object' },
    sftp: { type: 'object' },
    http: { type: 'object' },
    outbound: {
      type: 'object',
      additionalProperties: false,
      required: ['channel'],
      properties: {
        channel: { enum: ['as2', 'sftp', 'pickup', 'http'] },
        remoteDir: { type: 'string', pattern: '^/', description: 'absolute remote path' },
        fileNamePattern: { type: 'string', minLength: 1 },
        url: { type: 'string', pattern: '^https?://', description: "an http(s) URL: the partner's order URL (channel http)" },
        sharedSecretEnv: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'an environment variable name' },
        sharedSecretFile: { type: 'string', minLength: 1, description: 'a file holding the cXML shared secret, relative to the profile' },
        timeoutSeconds: { type: 'number', exclusiveMinimum: 0, maximum: 600 },
        cxml: cxmlOutbound,
      },
      allOf: [
        { if: { properties: { channel: { const: 'http' } }, required: ['channel'] }, then: { required: ['url', 'cxml'] } },
      ],
    },
    acks: {
      type: 'object',
      additionalProperties: false,
      properties: {
        x12: { enum: ['997', '999', 'none'] },
        ta1: { enum: ['always', 'on_error', 'never'] },
        edifact: { enum: ['contrl', 'none'] },
        expectWithinMinutes: { type: 'integer', minimum: 1 },
      },
    },
    duplicates: {
      type: 'object',
      additionalProperties: false,
      required: ['policy'],
      properties: {
        policy: { enum: ['reject', 'skip', 'process'] },
        windowDays: { type: 'integer', minimum: 1 },
      },
    },
    throttle: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ratePerSecond: { type: 'number', exclusiveMinimum: 0 },
        burst: { type: 'integer', minimum: 1 },
        concurrency: { type: 'integer', minimum: 1 },
      },
    },
    certification: {
      type: 'object',
      additionalProperties: false,
      description: 'while status is test: the checklist the supplier portal runs before an operator approves production (src/portal/certification.ts)',
      required: ['steps'],
      properties: {
        steps: {
          type: 'array', minItems: 1, maxItems: 20,
          items: {
            type: 'object', additionalProperties: false, required: ['do', 'type'],
            properties: {
              do: { enum: ['receive', 'send'], description: 'receive: we sent it a test document of this type; send: it sent one that matches our test purchase order' },
              type: { enum: ['purchase_order', 'purchase_order_ack', 'ship_notice', 'invoice'] },
              title: { type: 'string', minLength: 1, maxLength: 120 },
            },
          },
        },
      },
    },
    rules: {
      type: 'object',
      additionalProperties: false,
      properties: {
        priceTolerancePercent: { type: 'number', minimum: 0 },
        quantityTolerancePercent: { type: 'number', minimum: 0 },
        onViolation: { enum: ['hold', 'warn'] },
        receiptTolerancePercent: { type: 'number', minimum: 0, description: "a warehouse's receipt vs the ship notice: short or over by more than this % of the shipped quantity is an exception (default 0)" },
        matchInvoiceTo: { enum: ['received', 'shipped'], description: "the supplier's invoices are matched to the goods a warehouse received (three-way match) or to its ship notices (default shipped)" },
        receiptOverdueDays: { type: 'number', exclusiveMinimum: 0, description: 'with matchInvoiceTo received: a ship notice without a receipt after this many days is overdue (default 5)' },
      },
    },
    retention: {
      type: 'object',
      additionalProperties: false,
      description: 'how long raw messages stay in the database and at all, in days from receipt (src/retention; values checked in retention-check.ts)',
      properties: {
        archiveAfterDays: { type: ['integer', 'string'], description: 'whole days (1 or more) or "never": then the raw bytes move to the file store' },
        purgeAfterDays: { type: ['integer', 'string'], description: 'whole days (1 or more, at least archiveAfterDays) or "never": then the raw bytes are deleted, the metadata kept' },
      },
    },
    mappings: {
      type: 'object',
      propertyNames: {
        pattern: '^(x12|edifact|csv|json|xml)-[A-Za-z0-9_]+\\.(inbound|outbound)$',
        description: '<format>-<message>.<direction>, e.g. x12-856.inbound',
      },
      additionalProperties: { type: 'string', minLength: 1 },
    },
    contact: {
      type: 'object',
      additionalProperties: false,
      properties: { name: { type: 'string' }, email: { type: 'string', format: 'email' }, phone: { type: 'string' } },
    },
    notes: { type: 'string' },
  },
} as const;

