// The local stand-in for the Cognito user pool behind the HTTP API's JWT authorizer: an ES256 key pair that signs
// tokens carrying the claims Cognito puts in its ID and access tokens (`sub`, `cognito:groups`, `custom:partnerId`,
// `token_use`, `iss`, `aud` / `client_id`, `exp`, ...), and verifies them like the authorizer does (signature, issuer,
// audience or client_id, expiry, scopes).
//
// The key is kept in `.local/dev-jwt-key.json` (git-ignored) so that `npm run token` mints tokens the running server
// accepts. Token lifetimes use real time, not the movable clock (tokens are about the people testing now).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, createLocalJWKSet } from 'jose';
import type { JWK, JWTPayload, CryptoKey } from 'jose';
import { realNow } from './process-clock.ts';

export const DEV_REGION = 'us-east-1';
export const DEV_USER_POOL_ID = `${DEV_REGION}_localdev`;
export const DEV_CLIENT_ID = 'localdevclient0000000000000';
export const DEV_ISSUER = `https://cognito-idp.${DEV_REGION}.amazonaws.com/${DEV_USER_POOL_ID}`;
const ALG = 'ES256';

export interface MintOptions {
  /** Cognito groups, e.g. ['partner'] or ['ops']. */
  groups?: string[];
  partnerId?: string;
  sub?: string;
  email?: string;
  username?: string;
  /** 'id' (default, has `aud`) or 'access' (has `client_id` and `scope`). */
  tokenUse?: 'id' | 'access';
  /** Lifetime in seconds (default 3600, like Cognito's default). */
  ttlSeconds?: number;
  scope?: string;
  /** Extra claims (override the defaults). */
  claims?: Record<string, unknown>;
}

interface KeyFile {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export class DevIssuer {
  readonly issuer = DEV_ISSUER;
  readonly clientId = DEV_CLIENT_ID;
  readonly #key: KeyFile;
  readonly #privateKey: CryptoKey;
  readonly #jwks: ReturnType<typeof createLocalJWKSet>;

  private constructor(key: KeyFile, privateKey: CryptoKey) {
    this.#key = key;
    this.#privateKey = privateKey;
    this.#jwks = createLocalJWKSet({ keys: [key.publicJwk] });
  }

  /** Loads the key from `file`, creating it there first if missing; `null` keeps a fresh key in memory only. */
  static async load(file: string | null): Promise<DevIssuer> {
    let key: KeyFile | undefined;
    if (file && existsSync(file)) key = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
    if (!key) {
      const pair = await generateKeyPair(ALG, { extractable: true });
      const kid = randomUUID();
      key = {
        kid,
        privateJwk: { ...(await exportJWK(pair.privateKey)), kid, alg: ALG, use: 'sig' },
        publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg: ALG, use: 'sig' },
      };
      if (file) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, JSON.stringify(key, null, 2), { mode: 0o600 });
      }
    }
    return new DevIssuer(key, (await importJWK(key.privateJwk, ALG)) as CryptoKey);
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.#key.publicJwk] };
  }

  async mint(opts: MintOptions = {}): Promise<string> {
    const now = Math.floor(realNow() / 1000); // real time, like the verification above
    const sub = opts.sub ?? randomUUID();
    const username = opts.username ?? sub;
    const tokenUse = opts.tokenUse ?? 'id';
    const claims: Record<string, unknown> = {
      sub,
      ...(opts.groups?.length ? { 'cognito:groups': opts.groups } : {}),
      iss: this.issuer,
      origin_jti: randomUUID(),
      event_id: randomUUID(),
      token_use: tokenUse,
      auth_time: now,
      iat: now,
      exp: now + (opts.ttlSeconds ?? 3600),
      jti: randomUUID(),
      ...(tokenUse === 'id'
        ? {
            aud: this.clientId,
            'cognito:username': username,
            email: opts.email ?? `${username}@example.com`,
            email_verified: true,
            ...(opts.partnerId ? { 'custom:partnerId': opts.partnerId } : {}),
          }
        : { client_id: this.clientId, scope: opts.scope ?? 'aws.cognito.signin.user.admin', username }),
      ...opts.claims,
    };
    return new SignJWT(claims as JWTPayload).setProtectedHeader({ alg: ALG, kid: this.#key.kid }).sign(this.#privateKey);
  }

  /**
   * Verifies like the HTTP API JWT authorizer: signature, `iss` equal to the authorizer's issuer, `aud` (or, when
   * absent, `client_id`) among its audiences, `exp` / `nbf`. Throws on any failure.
   */
  async verify(token: string, expect: { issuer: string; audience: string[] }): Promise<JWTPayload> {
    // Sessions live in real time: `npm run token` (another process) stamps real time, while this process's Date may
    // have been moved ahead to simulate the calendar; a moved clock must not expire a token minted a second ago.
    const { payload } = await jwtVerify(token, this.#jwks, { issuer: expect.issuer, algorithms: [ALG], currentDate: new Date(realNow()) });
    const aud = payload.aud ?? (payload as { client_id?: string }).client_id;
    const auds = Array.isArray(aud) ? aud : aud === undefined ? [] : [aud];
    if (expect.audience.length && !auds.some((a) => expect.audience.includes(a))) throw new Error('audience mismatch');
    return payload;
  }
}

/** Claims as API Gateway renders them into `requestContext.authorizer.jwt.claims`: every value a string, arrays `[a b]`. */
export function renderClaims(payload: JWTPayload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(payload)) {
    if (Array.isArray(v)) out[k] = `[${v.map(String).join(' ')}]`;
    else if (v !== null && typeof v === 'object') out[k] = JSON.stringify(v);
    else out[k] = String(v);
  }
  return out;
}
