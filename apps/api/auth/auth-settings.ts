/** Injected into the auth guard and controller; built from ApiConfig. */
export class AuthSettings {
  constructor(
    readonly secret: string,
    readonly ttlSeconds: number,
  ) {}
}
