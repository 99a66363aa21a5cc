import { createHash, randomBytes } from 'node:crypto';

/**
 * SM2 digital signatures (GB/T 32918.2-2016, GM/T 0003.2) over SM3 (GB/T 32905), in plain BigInt
 * arithmetic. Node's crypto does not provide them: a key on its SM2 curve signs ECDSA-with-SM3
 * (no Z value, another equation), which a GB/T 32918 verifier refuses. Signing is rare here (a
 * tree head a minute), so clarity beats speed; points are kept in Jacobian coordinates so a
 * scalar multiplication needs one inversion, not one per step.
 */
export interface Sm2Curve {
  p: bigint;
  a: bigint;
  b: bigint;
  n: bigint;
  gx: bigint;
  gy: bigint;
}

/** The recommended curve sm2p256v1 (GB/T 32918.5). */
export const SM2P256V1: Sm2Curve = {
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
};

/** The distinguishing identifier when none is agreed (GM/T 0009-2012). */
export const DEFAULT_SM2_ID = '1234567812345678';

export interface Sm2Point {
  x: bigint;
  y: bigint;
}

type Jacobian = [bigint, bigint, bigint] | null;

const mod = (x: bigint, m: bigint) => {
  const r = x % m;
  return r < 0n ? r + m : r;
};

function invert(x: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(x, m), m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new Error('not invertible');
  return mod(s0, m);
}

const bytes32 = (x: bigint) => Buffer.from(x.toString(16).padStart(64, '0'), 'hex');
const toBig = (b: Uint8Array) => BigInt(`0x${Buffer.from(b).toString('hex') || '0'}`);
const sm3 = (...parts: Uint8Array[]) => {
  const h = createHash('sm3');
  for (const part of parts) h.update(part);
  return h.digest();
};

class Arithmetic {
  constructor(readonly c: Sm2Curve) {}

  double(P: Jacobian): Jacobian {
    if (!P || P[1] === 0n) return null;
    const { p, a } = this.c;
    const [X, Y, Z] = P;
    const YY = mod(Y * Y, p);
    const S = mod(4n * X * YY, p);
    const ZZ = mod(Z * Z, p);
    const M = mod(3n * X * X + a * ZZ * ZZ, p);
    const X3 = mod(M * M - 2n * S, p);
    return [X3, mod(M * (S - X3) - 8n * YY * YY, p), mod(2n * Y * Z, p)];
  }

  add(P: Jacobian, Q: Jacobian): Jacobian {
    if (!P) return Q;
    if (!Q) return P;
    const { p } = this.c;
    const [X1, Y1, Z1] = P;
    const [X2, Y2, Z2] = Q;
    const Z1Z1 = mod(Z1 * Z1, p);
    const Z2Z2 = mod(Z2 * Z2, p);
    const U1 = mod(X1 * Z2Z2, p);
    const U2 = mod(X2 * Z1Z1, p);
    const S1 = mod(Y1 * Z2 * Z2Z2, p);
    const S2 = mod(Y2 * Z1 * Z1Z1, p);
    if (U1 === U2) return S1 === S2 ? this.double(P) : null;
    const H = mod(U2 - U1, p);
    const R = mod(S2 - S1, p);
    const HH = mod(H * H, p);
    const HHH = mod(H * HH, p);
    const V = mod(U1 * HH, p);
    const X3 = mod(R * R - HHH - 2n * V, p);
    return [X3, mod(R * (V - X3) - S1 * HHH, p), mod(Z1 * Z2 * H, p)];
  }

  multiply(k: bigint, P: Sm2Point): Jacobian {
    let result: Jacobian = null;
    const base: Jacobian = [P.x, P.y, 1n];
    for (let i = k.toString(2).length - 1; i >= 0; i--) {
      result = this.double(result);
      // Double-and-add-always: an addition for every bit, kept or not.
      const sum = this.add(result, base);
      if ((k >> BigInt(i)) & 1n) result = sum;
    }
    return result;
  }

  /**
   * k·G for a secret k (the signature's nonce), blinded: k + m·n for a fresh random 64-bit m gives
   * the same point (n·G is the identity) while the loop's length and its bits no longer follow k's.
   * BigInt arithmetic is not constant-time; this keeps the nonce's leading bits out of the timing.
   */
  multiplySecret(k: bigint): Jacobian {
    const m = BigInt(`0x${randomBytes(8).toString('hex')}`) | (1n << 63n);
    return this.multiply(k + m * this.c.n, { x: this.c.gx, y: this.c.gy });
  }

  affine(P: Jacobian): Sm2Point | null {
    if (!P) return null;
    const { p } = this.c;
    const zi = invert(P[2], p);
    const zi2 = mod(zi * zi, p);
    return { x: mod(P[0] * zi2, p), y: mod(P[1] * zi2 * zi, p) };
  }

  onCurve({ x, y }: Sm2Point): boolean {
    const { p, a, b } = this.c;
    return x >= 0n && x < p && y >= 0n && y < p && mod(y * y - x * x * x - a * x - b, p) === 0n;
  }
}

/** Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA): binds the signature to the curve, the signer's id and key. */
export function sm2Z(publicKey: Sm2Point, id = DEFAULT_SM2_ID, c: Sm2Curve = SM2P256V1): Buffer {
  const idBytes = Buffer.from(id, 'utf8');
  const bits = idBytes.length * 8;
  if (bits > 0xffff) throw new Error('SM2 id too long');
  return sm3(Buffer.from([bits >> 8, bits & 0xff]), idBytes, ...[c.a, c.b, c.gx, c.gy, publicKey.x, publicKey.y].map(bytes32));
}

export function sm2PublicKey(d: bigint, c: Sm2Curve = SM2P256V1): Sm2Point {
  const math = new Arithmetic(c);
  return math.affine(math.multiplySecret(d))!;
}

/**
 * Signs `message` with private key `d`: (r, s) as two 32-byte big-endian halves. `k` only for the
 * standard's test vectors; otherwise drawn afresh for every signature.
 */
export function sm2Sign(d: bigint, message: Uint8Array, options: { id?: string; curve?: Sm2Curve; k?: bigint } = {}): Buffer {
  const c = options.curve ?? SM2P256V1;
  if (d <= 0n || d >= c.n - 1n) throw new Error('SM2 private key out of range');
  const math = new Arithmetic(c);
  const e = toBig(sm3(sm2Z(sm2PublicKey(d, c), options.id, c), message));
  for (;;) {
    const k = options.k ?? mod(toBig(randomBytes(40)), c.n - 1n) + 1n;
    const x1 = math.affine(math.multiplySecret(k))!.x;
    const r = mod(e + x1, c.n);
    if (r === 0n || r + k === c.n) continue;
    const s = mod(invert(1n + d, c.n) * (k - r * d), c.n);
    if (s === 0n) continue;
    return Buffer.concat([bytes32(r), bytes32(s)]);
  }
}

/** Whether `signature` (r ‖ s) is `publicKey`'s SM2 signature over `message`. Never throws on bad input. */
export function sm2Verify(publicKey: Sm2Point, message: Uint8Array, signature: Uint8Array, options: { id?: string; curve?: Sm2Curve } = {}): boolean {
  const c = options.curve ?? SM2P256V1;
  const math = new Arithmetic(c);
  if (signature.length !== 64 || !math.onCurve(publicKey)) return false;
  const r = toBig(signature.subarray(0, 32));
  const s = toBig(signature.subarray(32));
  if (r < 1n || r >= c.n || s < 1n || s >= c.n) return false;
  const t = mod(r + s, c.n);
  if (t === 0n) return false;
  const e = toBig(sm3(sm2Z(publicKey, options.id, c), message));
  const point = math.affine(math.add(math.multiply(s, { x: c.gx, y: c.gy }), math.multiply(t, publicKey)));
  return point !== null && mod(e + point.x, c.n) === r;
}
