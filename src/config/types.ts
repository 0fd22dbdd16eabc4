/**
 * Types of the running configuration: partner profiles (partners/<id>.yaml), the problems a
 * load reports, and the structural type of a compiled mapping (the mapping engine in
 * src/mapping provides the real one; config only needs this shape).
 */
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { MappingProblem } from '../mapping/types.ts';
import type { CompiledMapping } from '../mapping/index.ts';
import type { UnresolvedSecret } from './secrets.ts';
import type { DocumentType } from '../canonical/schemas.ts';

export type { UnresolvedSecret };

export type Direction = 'inbound' | 'outbound';
export type DocumentTypeName = DocumentType;
export type WireFormat = 'x12' | 'edifact' | 'csv' | 'json' | 'xml';

/**
 * What config needs of a compiled mapping (structural, so tests can pass a small fake compiler);
 * the mapping engine's CompiledMapping satisfies it and is the default type parameter below.
 */
export interface CompiledMappingLike {
  file: string;
  format: string;
  message: string;
  version?: string;
  direction: Direction;
  documentType?: string;
  /** the compiler's findings that do not refuse the mapping (file relative to the mappings root) */
  warnings?: ReadonlyArray<{ file: string; line: number; col: number; rule: string; message: string; hint?: string }>;
}

export type MappingSource = { file: string; text: string };
export type CompileMapping<M extends CompiledMappingLike = CompiledMapping> = (
  src: MappingSource,
  opts: { load(file: string): MappingSource },
) => M;

export interface DocumentExchange {
  type: DocumentTypeName;
  format: WireFormat;
  message?: string;
  version?: string;
}

/** The partner's primary identity per format: the first of `identities` (the one we address). */
export interface PartnerIdentifiers {
  x12?: { qualifier: string; id: string; gsId?: string };
  edifact?: { id: string; qualifier?: string };
  as2?: string;
}

/** Every identity of a partner (`identifiers.x12` etc. may each be one or a list in the profile). */
export interface PartnerIdentities {
  x12: Array<{ qualifier: string; id: string; gsId?: string }>;
  edifact: Array<{ id: string; qualifier?: string }>;
  as2: string[];
}

/**
 * Our own identities toward this partner (`us:` in the profile): the ISA receiver (ISA07/08), UNB
 * recipient and AS2-To its interchanges must be addressed to. Absent for a format: the receiver
 * is not checked for that format.
 */
export interface OwnIdentifiers {
  x12?: Array<{ qualifier: string; id: string; gsId?: string }>;
  edifact?: Array<{ id: string; qualifier?: string }>;
  as2?: string[];
}

/** A cXML Credential: `<Credential domain="DUNS"><Identity>123456789</Identity></Credential>` */
export interface CxmlCredentialProfile { domain: string; identity: string }

/** How we address a cXML partner (outbound.cxml in the profile). */
export interface CxmlOutboundProfile {
  /** us, the buying organisation, as the partner knows us */
  from: CxmlCredentialProfile;
  /** the partner */
  to: CxmlCredentialProfile;
  /** the sending system (default: from); the shared secret goes into this credential */
  sender?: CxmlCredentialProfile;
  userAgent?: string;
  /** Request@deploymentMode; default: test for a partner in status test, else production */
  deploymentMode?: 'production' | 'test';
  /** cXML version (DOCTYPE); default 1.2.014 */
  version?: string;
  /** cXML@xml:lang; default en-US */
  lang?: string;
  /** the domain part of our payloadIDs (`<time>.<unique>@<domain>`); default edi-gateway.local */
  payloadIdDomain?: string;
}

export interface PartnerProfile {
  id: string;
  name: string;
  status: 'test' | 'production';
  identifiers: PartnerIdentifiers;
  /** all of its identities, in profile order (set at load; `identifiers` holds the first of each) */
  identities: PartnerIdentities;
  /** our identities toward this partner (receiver ids its interchanges must name) */
  us?: OwnIdentifiers;
  /**
   * what happens to a unit whose sender is not this partner's, whose receiver is not ours, or whose
   * document its `documents.inbound` does not declare: reject (default) or warn and process
   */
  antiSpoofing?: { policy: 'reject' | 'warn' };
  documents?: { inbound?: DocumentExchange[]; outbound?: DocumentExchange[] };
  formats?: {
    csv?: {
      delimiter?: string; quote?: string; encoding?: string; header?: boolean;
      columns?: Record<string, string | number>; groupBy?: string | number; skipRows?: number;
    };
    json?: { canonical?: boolean };
    x12?: { elementSeparator?: string; componentSeparator?: string; repetitionSeparator?: string; segmentTerminator?: string };
    edifact?: {
      componentSeparator?: string; elementSeparator?: string; decimalMark?: string;
      releaseCharacter?: string; segmentTerminator?: string; charset?: string; syntaxVersion?: string;
    };
    xml?: { rootElement?: string; namespaces?: Record<string, string> };
  };
  /** transport blocks: shape checked by the transport's own (injected) schema */
  as2?: Record<string, unknown>;
  sftp?: Record<string, unknown>;
  http?: Record<string, unknown>;
  outbound?: {
    channel: 'as2' | 'sftp' | 'pickup' | 'http'; remoteDir?: string; fileNamePattern?: string;
    /** channel http: the partner's order URL (a cXML supplier's OrderRequest URL) */
    url?: string;
    /** channel http: the environment variable holding the cXML shared secret (resolved into secrets['outbound.sharedSecret']) */
    sharedSecretEnv?: string;
    /** channel http: or a file holding it (absolute after load) */
    sharedSecretFile?: string;
    /** channel http: per POST (default: the gateway's send timeout) */
    timeoutSeconds?: number;
    /** cXML envelope of outbound documents (From/To/Sender credentials, ...) */
    cxml?: CxmlOutboundProfile;
  };
  acks?: {
    x12?: '997' | '999' | 'none'; ta1?: 'always' | 'on_error' | 'never';
    edifact?: 'contrl' | 'none'; expectWithinMinutes?: number;
  };
  duplicates?: { policy: 'reject' | 'skip' | 'process'; windowDays?: number };
  throttle?: { ratePerSecond?: number; burst?: number; concurrency?: number };
  rules?: {
    priceTolerancePercent?: number; quantityTolerancePercent?: number; onViolation?: 'hold' | 'warn';
    /** receipt vs ASN (a warehouse's profile); invoice matched to received or shipped, receipt overdue (a supplier's): correlate/types.ts */
    receiptTolerancePercent?: number; matchInvoiceTo?: 'received' | 'shipped'; receiptOverdueDays?: number;
  };
  /** while status is test: the supplier portal's certification checklist (src/portal/certification.ts) */
  certification?: { steps: Array<{ do: 'receive' | 'send'; type: 'purchase_order' | 'purchase_order_ack' | 'ship_notice' | 'invoice'; title?: string }> };
  /** explicit mapping files, key `<format>-<message>.<direction>`, absolute after load */
  mappings?: Record<string, string>;
  contact?: { name?: string; email?: string; phone?: string };
  notes?: string;
  /** absolute path of the profile file */
  readonly file: string;
  /**
   * Secret values resolved from `...Env` references, keyed by dotted path without the suffix
   * (`sftp.password`, `http.apiKey`). Non-enumerable: never serialised or logged.
   */
  readonly secrets: Readonly<Record<string, string>>;
  /**
   * `...Env` references whose variable was not set at load (non-enumerable, like `secrets`): the
   * partner is loaded without them, and `missingSecrets()` reports them (log, /healthz).
   */
  readonly unresolvedSecrets?: readonly UnresolvedSecret[];
}

export type ProblemSeverity = 'error' | 'warning';

/** One thing wrong with a configuration file, located and explained. */
/** located like a mapping problem (file:line:col, rule, message, hint), so both print alike */
export interface ConfigProblem extends Pick<MappingProblem, 'file' | 'line' | 'col' | 'rule' | 'message' | 'hint'> {
  /** JSON pointer into the file's document, when it applies */
  pointer?: string;
  severity: ProblemSeverity;
  /** `file:line:col rule: message (hint: ...)`, the text a user sees (same form as mapping problems) */
  text: string;
}

export interface TransportSchemas {
  sftp?: object;
  as2?: object;
  http?: object;
}

export interface LoadOptions<M extends CompiledMappingLike = CompiledMapping> {
  partnersDir: string;
  mappingsDir: string;
  /** default: `<partnersDir>/../fixtures` */
  fixturesDir?: string;
  /** for secrets by reference; config never reads process.env */
  env: Record<string, string | undefined>;
  compile: CompileMapping<M>;
  transportSchemas?: TransportSchemas;
  /** the caller's clock: each load (and reload) records loadedAt from it; omitted: no loadedAt */
  clock?: Clock;
}

export interface MappingKey {
  format: string;
  message: string;
  version?: string;
  direction: Direction;
}

export interface GatewayConfig<M extends CompiledMappingLike = CompiledMapping> {
  partners: PartnerProfile[];
  partner(id: string): PartnerProfile | undefined;
  byX12(qualifier: string, id: string): PartnerProfile | undefined;
  byEdifact(id: string, qualifier?: string): PartnerProfile | undefined;
  byAs2(as2From: string): PartnerProfile | undefined;
  byApiKey(key: string): PartnerProfile | undefined;
  mappingFor(partnerId: string | undefined, key: MappingKey): M | undefined;
  /** every compiled mapping, by absolute file path */
  mappings: ReadonlyMap<string, M>;
  fixturesDir(partnerId: string): string;
  loadedAt?: string;
  /** partners left out because another file claims one of their identifiers (absent: none) */
  disabledPartners?: readonly DisabledPartner[];
  /** the disabled partners by id and by their own identifiers, so their traffic is refused by name (partner_disabled) */
  disabled?: DisabledPartnerIndex;
}

/** A partner whose file loaded but who does not run: its problems say which other file conflicts. */
export interface DisabledPartner {
  id: string;
  file: string;
  problems: ConfigProblem[];
}

/**
 * Lookups among disabled partners only. The running configuration is asked first: an identifier
 * two files claim belongs to the earlier file's partner, so only a disabled partner's other
 * identifiers (and its API key) lead here.
 */
export interface DisabledPartnerIndex {
  partner(id: string): DisabledPartner | undefined;
  byX12(qualifier: string, id: string): DisabledPartner | undefined;
  byEdifact(id: string, qualifier?: string): DisabledPartner | undefined;
  byApiKey(key: string): DisabledPartner | undefined;
}

export interface WatchOptions<M extends CompiledMappingLike = CompiledMapping> extends LoadOptions<M> {
  logger: Logger;
  onReload(config: GatewayConfig<M>): void;
  debounceMs?: number;
}
