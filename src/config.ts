import { readFileSync } from 'node:fs';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { normalisePem, parsePrivateKey, PrivateKeyError } from './kraken/private-key';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Credentials for a real Kraken; in sandbox mode the emulator makes its own. */
export interface KrakenCredentials {
  baseUrl: string;
  clientId: string;
  privateKey: KeyObject;
  webhookSecrets: string[];
}

/** How callers' bearer tokens are checked (the AUTH_* settings). */
export type AuthConfig =
  | { mode: 'disabled' }
  /** Sandbox mode with no AUTH_* settings: a local issuer made up at start-up. */
  | { mode: 'sandbox-issuer' }
  | {
      mode: 'verify';
      /** The identity provider's JWKS, or one public key. */
      jwksUrl?: string;
      publicKey?: KeyObject;
      issuer: string;
      audience: string;
      /** Accepted `alg` values; never `none` or HS*. */
      algorithms: string[];
      rolesClaim: string;
      adminRole: string;
      clockToleranceSeconds: number;
    };

export interface Config {
  /** `sandbox` starts the built-in Kraken emulator and makes up every secret. */
  mode: 'sandbox' | 'live';
  production: boolean;
  /** Present in live mode only. */
  kraken?: KrakenCredentials;
  krakenBaseUrl: string;
  http: { port: number; host: string; publicUrl: string };
  cacheUrl?: string;
  redisUrl?: string;
  logLevel: LogLevel;
  graphql: { sandbox: boolean; introspection: boolean };
  upstream: UpstreamConfig;
  limits: LimitsConfig;
  /** Origins browsers may call /graphql from; `*` for any. */
  corsOrigins: string[] | '*';
  /** Express `trust proxy`: how many proxies sit in front, so client IPs are right. */
  trustProxy: boolean | number;
  /** Lifetime of cached Kraken reads; 0 turns the read cache off. */
  readCacheTtlSeconds: number;
  /** Lifetime of `/files/:token` links. */
  fileLinkTtlSeconds: number;
  /** Where sandbox mode tells local tools its URL and webhook secret. */
  sandboxStateFile: string;
  /** KRAKEN_WEBHOOK_SECRET in sandbox mode, so recorded deliveries can be replayed; else one is made up. */
  sandboxWebhookSecrets?: string[];
  /** How long SIGTERM waits for work in flight before the process exits anyway. */
  shutdownGraceMs: number;
  auth: AuthConfig;
  /** Caller ↔ Kraken user links: a file path, or `redis://…`. */
  linkStoreUrl: string;
}

export interface UpstreamConfig {
  /** Deadline of each Kraken call, queueing included (first byte, for documents). */
  timeoutMs: number;
  /** Sockets for JSON calls; documents have a pool of their own. */
  connections: number;
  /** Sockets for document downloads, so slow downloads cannot starve other calls. */
  fileConnections: number;
  /** Further tries of an idempotent read. */
  retries: number;
  breakerThreshold: number;
  breakerCooldownMs: number;
}

export interface LimitsConfig {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
  /** GraphQL operations per caller per minute; 0 turns the limit off. */
  graphqlPerMinute: number;
  /** Webhook deliveries per source address per minute; 0 turns the limit off. */
  webhookPerMinute: number;
}

/** A setting that stops start-up. The message names the variable, never its value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
  }
}

export const DEFAULT_KRAKEN_BASE_URL = 'https://kraken.fractal.id';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const port = z.coerce.number().int().min(0).max(65_535);
const url = z.url({ protocol: /^https?$/ });
const redisUrl = z.url({ protocol: /^rediss?$/ });
const seconds = (max: number) => z.coerce.number().int().min(0).max(max);

/** Everything read from the environment, shaped but not yet cross-checked. */
const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  KRAKEN_BASE_URL: url.default(DEFAULT_KRAKEN_BASE_URL),
  KRAKEN_CLIENT_ID: z.string().trim().min(1).optional(),
  KRAKEN_PRIVATE_KEY: z.string().min(1).optional(),
  KRAKEN_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  KRAKEN_WEBHOOK_SECRET: z.string().optional(),
  KRAKEN_SANDBOX: flag.optional(),
  KRAKEN_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  KRAKEN_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_024).default(32),
  KRAKEN_FILE_CONNECTIONS: z.coerce.number().int().min(1).max(1_024).default(8),
  KRAKEN_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  KRAKEN_BREAKER_THRESHOLD: z.coerce.number().int().min(1).max(10_000).default(5),
  KRAKEN_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(8),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(1).max(1_000).default(15),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(10).max(1_000_000).default(2_000),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(50).max(100_000).default(1_000),
  RATE_LIMIT_GRAPHQL_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
  RATE_LIMIT_WEBHOOK_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(1_200),
  CORS_ORIGINS: z.string().optional(),
  TRUST_PROXY: z.string().regex(/^(true|false|\d{1,2})$/).optional(),
  PORT: port.default(4000),
  HOST: z.string().regex(/^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|[0-9A-Fa-f:.]+)$/).optional(),
  PUBLIC_URL: url.optional(),
  CACHE_URL: redisUrl.optional(),
  REDIS_URL: redisUrl.optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  GRAPHQL_SANDBOX: flag.optional(),
  GRAPHQL_INTROSPECTION: flag.optional(),
  READ_CACHE_TTL_SECONDS: seconds(3_600).default(30),
  FILE_LINK_TTL_SECONDS: z.coerce.number().int().min(10).max(300).default(300),
  SANDBOX_STATE_FILE: z.string().min(1).default('data/sandbox.json'),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
  AUTH_JWKS_URL: url.optional(),
  AUTH_PUBLIC_KEY: z.string().min(1).optional(),
  AUTH_ISSUER: z.string().trim().min(1).optional(),
  AUTH_AUDIENCE: z.string().trim().min(1).optional(),
  AUTH_ALGORITHMS: z.string().optional(),
  AUTH_ROLES_CLAIM: z.string().trim().min(1).default('roles'),
  // Roles may arrive space-separated, so a role with a space could never match.
  AUTH_ADMIN_ROLE: z.string().trim().min(1).regex(/^\S+$/).default('kyc:admin'),
  AUTH_CLOCK_TOLERANCE_SECONDS: seconds(300).default(30),
  AUTH_DISABLED: flag.default(false),
  // A path, or Redis; any other URL would be taken for a relative path.
  LINK_STORE_URL: z
    .string()
    .min(1)
    .refine((v) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(v) || /^rediss?:\/\//i.test(v))
    .default('data/links.json'),
});

type Env = z.infer<typeof envSchema>;

/**
 * Reads the environment once into a typed, validated Config. Throws a
 * ConfigError naming the first variable at fault.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const env = parseEnv(source);
  const production = env.NODE_ENV === 'production';
  const sandbox = env.KRAKEN_SANDBOX ?? (!env.KRAKEN_CLIENT_ID && !production);
  const host = env.HOST ?? (sandbox ? '127.0.0.1' : '0.0.0.0');

  return {
    mode: sandbox ? 'sandbox' : 'live',
    production,
    kraken: sandbox ? undefined : liveCredentials(env),
    krakenBaseUrl: env.KRAKEN_BASE_URL.replace(/\/+$/, ''),
    http: {
      port: env.PORT,
      host,
      publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    },
    cacheUrl: env.CACHE_URL,
    redisUrl: env.REDIS_URL,
    logLevel: env.LOG_LEVEL,
    graphql: {
      sandbox: env.GRAPHQL_SANDBOX ?? !production,
      introspection: env.GRAPHQL_INTROSPECTION ?? !production,
    },
    upstream: {
      timeoutMs: env.KRAKEN_TIMEOUT_MS,
      connections: env.KRAKEN_MAX_CONNECTIONS,
      fileConnections: env.KRAKEN_FILE_CONNECTIONS,
      retries: env.KRAKEN_RETRIES,
      breakerThreshold: env.KRAKEN_BREAKER_THRESHOLD,
      breakerCooldownMs: env.KRAKEN_BREAKER_COOLDOWN_MS,
    },
    limits: {
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxAliases: env.GRAPHQL_MAX_ALIASES,
      maxCost: env.GRAPHQL_MAX_COST,
      maxTokens: env.GRAPHQL_MAX_TOKENS,
      graphqlPerMinute: env.RATE_LIMIT_GRAPHQL_PER_MINUTE,
      webhookPerMinute: env.RATE_LIMIT_WEBHOOK_PER_MINUTE,
    },
    corsOrigins: corsOrigins(env.CORS_ORIGINS, sandbox),
    trustProxy: trustProxy(env.TRUST_PROXY),
    readCacheTtlSeconds: env.READ_CACHE_TTL_SECONDS,
    fileLinkTtlSeconds: env.FILE_LINK_TTL_SECONDS,
    sandboxStateFile: env.SANDBOX_STATE_FILE,
    sandboxWebhookSecrets: sandbox && webhookSecrets(env).length > 0 ? webhookSecrets(env) : undefined,
    shutdownGraceMs: env.SHUTDOWN_GRACE_SECONDS * 1000,
    auth: authConfig(env, sandbox),
    linkStoreUrl: env.LINK_STORE_URL,
  };
}

function parseEnv(source: NodeJS.ProcessEnv): Env {
  // An empty variable means "unset": that is how most deploy tools clear one.
  const present = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (parsed.success) return parsed.data;

  const issue = parsed.error.issues[0];
  const variable = String(issue.path[0]);
  // zod's own messages quote the received value for some checks; keep only
  // what was expected so a mistyped secret is never echoed.
  throw new ConfigError(variable, describeIssue(issue));
}

/** What a variable must look like, where zod's own wording would be vague. */
const FORMAT_HINTS: Partial<Record<string, string>> = {
  CACHE_URL: 'expected a redis:// or rediss:// URL',
  REDIS_URL: 'expected a redis:// or rediss:// URL',
  TRUST_PROXY: 'expected true, false or the number of proxies in front',
  LINK_STORE_URL: 'expected a file path or a redis:// or rediss:// URL',
  HOST: 'expected an IP address or a host name to listen on',
  AUTH_ADMIN_ROLE: 'expected one role name, without spaces',
};

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `expected one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_format': {
      const hint = FORMAT_HINTS[String(issue.path[0])];
      if (hint) return hint;
      return issue.format === 'url' ? 'expected an http:// or https:// URL' : `expected ${issue.format}`;
    }
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) === 1 ? 'must not be empty' : `must be at least ${String(issue.minimum)} characters`;
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_type':
      return `expected ${issue.expected}`;
    default:
      return FORMAT_HINTS[String(issue.path[0])] ?? 'invalid value';
  }
}

function liveCredentials(env: Env): KrakenCredentials {
  if (!env.KRAKEN_CLIENT_ID) {
    throw new ConfigError('KRAKEN_CLIENT_ID', 'required outside sandbox mode (or set KRAKEN_SANDBOX=true)');
  }
  const secrets = webhookSecrets(env);
  if (secrets.length === 0) {
    throw new ConfigError('KRAKEN_WEBHOOK_SECRET', 'required outside sandbox mode');
  }

  return {
    baseUrl: env.KRAKEN_BASE_URL.replace(/\/+$/, ''),
    clientId: env.KRAKEN_CLIENT_ID,
    privateKey: readPrivateKey(env),
    webhookSecrets: secrets,
  };
}

/** KRAKEN_WEBHOOK_SECRET split at commas, current first. */
function webhookSecrets(env: Env): string[] {
  return (env.KRAKEN_WEBHOOK_SECRET ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function readPrivateKey(env: Env): KeyObject {
  if (env.KRAKEN_PRIVATE_KEY && env.KRAKEN_PRIVATE_KEY_FILE) {
    throw new ConfigError('KRAKEN_PRIVATE_KEY_FILE', 'set either KRAKEN_PRIVATE_KEY or KRAKEN_PRIVATE_KEY_FILE, not both');
  }
  const variable = env.KRAKEN_PRIVATE_KEY_FILE ? 'KRAKEN_PRIVATE_KEY_FILE' : 'KRAKEN_PRIVATE_KEY';
  const pem = env.KRAKEN_PRIVATE_KEY ?? readKeyFile(env.KRAKEN_PRIVATE_KEY_FILE);
  if (pem === undefined) {
    throw new ConfigError('KRAKEN_PRIVATE_KEY', 'required outside sandbox mode (or set KRAKEN_PRIVATE_KEY_FILE)');
  }

  try {
    return parsePrivateKey(pem);
  } catch (error) {
    if (error instanceof PrivateKeyError) throw new ConfigError(variable, error.message);
    throw error;
  }
}

function readKeyFile(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError('KRAKEN_PRIVATE_KEY_FILE', `cannot read the file (${reason})`);
  }
}

/** Signature algorithms a caller's token may use; HMAC and `none` never. */
const ASYMMETRIC_ALGORITHMS = [
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA',
];

function authConfig(env: Env, sandbox: boolean): AuthConfig {
  if (env.AUTH_DISABLED) {
    if (!sandbox) throw new ConfigError('AUTH_DISABLED', 'may be true only in sandbox mode');
    return { mode: 'disabled' };
  }
  if (env.AUTH_JWKS_URL && env.AUTH_PUBLIC_KEY) {
    throw new ConfigError('AUTH_PUBLIC_KEY', 'set either AUTH_JWKS_URL or AUTH_PUBLIC_KEY, not both');
  }
  if (!env.AUTH_JWKS_URL && !env.AUTH_PUBLIC_KEY) {
    if (sandbox) return { mode: 'sandbox-issuer' };
    throw new ConfigError('AUTH_JWKS_URL', 'required outside sandbox mode (or AUTH_PUBLIC_KEY): callers must be authenticated');
  }
  if (!env.AUTH_ISSUER) throw new ConfigError('AUTH_ISSUER', 'required with AUTH_JWKS_URL or AUTH_PUBLIC_KEY');
  if (!env.AUTH_AUDIENCE) throw new ConfigError('AUTH_AUDIENCE', 'required with AUTH_JWKS_URL or AUTH_PUBLIC_KEY');

  const publicKey = env.AUTH_PUBLIC_KEY ? readAuthPublicKey(env.AUTH_PUBLIC_KEY) : undefined;

  return {
    mode: 'verify',
    jwksUrl: env.AUTH_JWKS_URL,
    publicKey,
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    algorithms: authAlgorithms(env.AUTH_ALGORITHMS, publicKey),
    rolesClaim: env.AUTH_ROLES_CLAIM,
    adminRole: env.AUTH_ADMIN_ROLE,
    clockToleranceSeconds: env.AUTH_CLOCK_TOLERANCE_SECONDS,
  };
}

function readAuthPublicKey(value: string): KeyObject {
  try {
    const key = createPublicKey(normalisePem(value));
    if (key.asymmetricKeyType === undefined) throw new Error('not asymmetric');
    return key;
  } catch {
    throw new ConfigError('AUTH_PUBLIC_KEY', 'expected a PEM public key (BEGIN PUBLIC KEY)');
  }
}

/**
 * The configured list, or the one algorithm a PEM key implies. A JWKS with no
 * list accepts RS256 and ES256, what identity providers sign with by default.
 */
function authAlgorithms(listed: string | undefined, key: KeyObject | undefined): string[] {
  const algorithms = (listed ?? '').split(',').map((a) => a.trim()).filter((a) => a !== '');
  for (const algorithm of algorithms) {
    if (!ASYMMETRIC_ALGORITHMS.includes(algorithm)) {
      throw new ConfigError('AUTH_ALGORITHMS', `expected asymmetric algorithms among ${ASYMMETRIC_ALGORITHMS.join(', ')}`);
    }
  }
  if (algorithms.length > 0) return algorithms;
  if (!key) return ['RS256', 'ES256'];

  return [algorithmFor(key)];
}

function algorithmFor(key: KeyObject): string {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return 'RS256';
    case 'rsa-pss':
      return 'PS256';
    case 'ed25519':
      return 'EdDSA';
    case 'ec':
      if (curve === 'prime256v1') return 'ES256';
      if (curve === 'secp384r1') return 'ES384';
      if (curve === 'secp521r1') return 'ES512';
      break;
  }
  throw new ConfigError('AUTH_PUBLIC_KEY', 'unsupported key type; set AUTH_ALGORITHMS');
}

/** Any origin in sandbox mode; none (same-origin only) elsewhere unless listed. */
function corsOrigins(listed: string | undefined, sandbox: boolean): string[] | '*' {
  if (listed === undefined) return sandbox ? '*' : [];
  if (listed.trim() === '*') return '*';
  const origins = listed.split(',').map((o) => o.trim()).filter((o) => o !== '');
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError('CORS_ORIGINS', 'expected * or comma-separated origins such as https://app.example.com');
    }
  }

  return origins;
}

function trustProxy(value: string | undefined): boolean | number {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;

  return Number(value);
}
