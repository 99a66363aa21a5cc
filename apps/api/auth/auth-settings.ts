import { VerifiedTokens } from './jwt.js';

/** Injected into the auth guard and controller; built from ApiConfig. */
export class AuthSettings {
  /** The tokens this secret has verified (jwt.ts). */
  readonly tokens: VerifiedTokens;

  constructor(
    readonly secret: string,
    readonly ttlSeconds: number,
  ) {
    this.tokens = new VerifiedTokens(secret);
  }
}
