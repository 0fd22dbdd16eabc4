/**
 * Minimal schemas of the transport blocks as DESIGN.md describes them, used only when the
 * caller injects no transport schema (config must not import src/transports).
 */
const envName = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'an environment variable name' };
const remoteDir = { type: 'string', minLength: 1, pattern: '^/', description: 'an absolute remote path' };

export const minimalSftpSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'username', 'hostKeySha256', 'inbox'],
  properties: {
    host: { type: 'string', minLength: 1 },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    username: { type: 'string', minLength: 1 },
    privateKeyFile: { type: 'string', minLength: 1 },
    passwordEnv: envName,
    hostKeySha256: { type: 'string', pattern: '^SHA256:[A-Za-z0-9+/]{43}$', description: 'SHA256:<43 base64 characters>, as `ssh-keygen -lf` prints it' },
    inbox: remoteDir,
    archive: remoteDir,
    outbox: remoteDir,
    pattern: { type: 'string', minLength: 1 },
    pollSeconds: { type: 'number', exclusiveMinimum: 0 },
  },
  oneOf: [{ required: ['privateKeyFile'] }, { required: ['passwordEnv'] }],
};

export const minimalAs2Schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    url: { type: 'string', pattern: '^https?://', description: 'an http(s) URL' },
    certificate: { type: 'string', minLength: 1, description: "the partner's certificate (PEM), relative to the profile" },
    certificates: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string', minLength: 1 }, description: 'current and next certificate, during a rotation' },
    requireSigned: { type: 'boolean' },
    requireEncrypted: { type: 'boolean' },
    signingAlgorithm: { enum: ['sha256', 'sha384', 'sha512', 'sha1'] },
    encryptionAlgorithm: { enum: ['aes128-cbc', 'aes192-cbc', 'aes256-cbc', 'aes128-gcm', 'aes256-gcm', 'des-ede3-cbc'] },
    signatureScheme: { enum: ['rsa-pkcs1-v1_5', 'rsassa-pss'], description: 'how we sign our messages and MDNs to this partner with an RSA key: rsa-pkcs1-v1_5 (default) or rsassa-pss (an EC key always signs ECDSA)' },
    keyTransport: { enum: ['rsaes-pkcs1-v1_5', 'rsaes-oaep'], description: "how we wrap the content key for the partner's RSA certificate: rsaes-pkcs1-v1_5 (default) or rsaes-oaep" },
    oaepHash: { enum: ['sha256', 'sha384', 'sha512'], description: 'the RSAES-OAEP hash and MGF1 hash of our sends (default sha256)' },
    compress: { type: 'boolean' },
    mdn: { enum: ['sync', 'async', 'none'] },
    onMessageIdReuse: { enum: ['reject', 'accept'], description: 'the same AS2 Message-ID again with another payload: reject (held, exception, negative MDN) or accept (processed as a new message)' },
    profile: { enum: ['modern', 'legacy'], description: "modern: the RFC 4130bis draft's algorithms only (a SHA-1 signature or 3DES encryption inbound is refused: insufficient-message-security); legacy (default): accepted with a warning on the message" },
    certificateProblems: { enum: ['warn', 'refuse'], description: "the partner's certificate expired or is signed with SHA-1: warn (default: a warning on every message it touches) or refuse (its messages answered authentication-failed, sends not made)" },
    chunked: { type: 'boolean', description: 'our sends: true streams the body with Transfer-Encoding: chunked; false (default) sends it with Content-Length' },
    minTlsVersion: { enum: ['1.2', '1.3'], description: 'the lowest TLS version our sends to an https URL accept (default: 1.2)' },
    headers: {
      type: 'object', additionalProperties: { type: 'string' },
      propertyNames: { pattern: '^[A-Za-z0-9!#$%&*+.^_|~-]+$', description: 'an HTTP header name, e.g. X-Partner-Route' },
      description: "extra HTTP headers on our sends, e.g. { X-Partner-Route: EU } (the AS2 protocol's own headers cannot be replaced)",
    },
  },
  oneOf: [{ required: ['certificate'] }, { required: ['certificates'] }],
};

export const minimalHttpSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    apiKeyEnv: envName,
    apiKeyFile: { type: 'string', minLength: 1 },
    apiKeySha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: '64 lower-case hex digits' },
    signature: {
      type: 'object',
      additionalProperties: false,
      required: ['header', 'algorithm'],
      description: 'the partner signs each post: an HMAC of the raw body in a header (src/server/webhook-signature.ts)',
      properties: {
        header: { type: 'string', pattern: '^[A-Za-z0-9!#$%&*+.^_|~-]+$', description: 'an HTTP header name, e.g. X-Signature' },
        algorithm: { enum: ['sha256'] },
        encoding: { enum: ['hex', 'base64'] },
        prefix: { type: 'string', minLength: 1, description: 'text before the digest in the header, e.g. "sha256="' },
        secretEnv: envName,
        secretFile: { type: 'string', minLength: 1, description: 'a file holding the shared secret, relative to the profile' },
      },
      oneOf: [{ required: ['secretEnv'] }, { required: ['secretFile'] }],
    },
  },
};
