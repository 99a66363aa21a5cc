import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { signBytes } from './signature-scheme.js';
import { sm2PublicKey, sm2Sign, sm2Verify, sm2Z, type Sm2Curve } from './sm2.js';

const big = (hex: string) => BigInt(`0x${hex}`);

/** GB/T 32918.2-2016 (GM/T 0003.2-2012) Annex A, example 1: its 256-bit example curve, key, id, message, k, Z, e, r and s. */
const EXAMPLE_CURVE: Sm2Curve = {
  p: big('8542D69E4C044F18E8B92435BF6FF7DE457283915C45517D722EDB8B08F1DFC3'),
  a: big('787968B4FA32C3FD2417842E73BBFEFF2F3C848B6831D7E0EC65228B3937E498'),
  b: big('63E4C6D3B23B0C849CF84241484BFE48F61D59A5B16BA06E6E12D1DA27C5249A'),
  gx: big('421DEBD61B62EAB6746434EBC3CC315E32220B3BADD50BDC4C4E6C147FEDD43D'),
  gy: big('0680512BCBB42C07D47349D2153B70C4E5D7FDFCBFA36EA1A85841B9E46E09A2'),
  n: big('8542D69E4C044F18E8B92435BF6FF7DD297720630485628D5AE74EE7C32E79B7'),
};
const D = big('128B2FA8BD433C6C068C8D803DFF79792A519A55171B1B650C23661D15897263');
const K = big('6CB28D99385C175C94F94E934817663FC176D925DD72B727260DBAAE1FB2F96F');
const ID = 'ALICE123@YAHOO.COM';
const MESSAGE = Buffer.from('message digest');
const SIGNATURE = '40F1EC59F793D9F49E09DCEF49130D4194F79FB1EED2CAA55BACDB49C4E755D1' + '6FC6DAC32C5D5CF10C77DFB20F7C2EB667A457872FB09EC56327A67EC7DEEBE7';

describe('SM2 signatures (GB/T 32918.2)', () => {
  const publicKey = sm2PublicKey(D, EXAMPLE_CURVE);
  const options = { id: ID, curve: EXAMPLE_CURVE };

  it('derives the standard example\'s public key and Z', () => {
    expect(publicKey.x.toString(16).toUpperCase()).toBe('AE4C7798AA0F119471BEE11825BE46202BB79E2A5844495E97C04FF4DF2548A');
    expect(publicKey.y.toString(16).toUpperCase()).toBe('7C0240F88F1CD4E16352A73C17B7F16F07353E53A176D684A9FE0C6BB798E857');
    const z = sm2Z(publicKey, ID, EXAMPLE_CURVE);
    expect(z.toString('hex').toUpperCase()).toBe('F4A38489E32B45B6F876E3AC2168CA392362DC8F23459C1D1146FC3DBFB7BC9A');
    expect(createHash('sm3').update(z).update(MESSAGE).digest('hex').toUpperCase()).toBe('B524F552CD82B8B028476E005C377FB19A87E6FC682D48BB5D42E3D9B9EFFE76');
  });

  it('signs the standard example to its (r, s) with its k, and verifies it', () => {
    expect(sm2Sign(D, MESSAGE, { ...options, k: K }).toString('hex').toUpperCase()).toBe(SIGNATURE);
    expect(sm2Verify(publicKey, MESSAGE, Buffer.from(SIGNATURE, 'hex'), options)).toBe(true);
  });

  it('refuses another message, another id, a changed signature and a point off the curve', () => {
    const signature = Buffer.from(SIGNATURE, 'hex');
    expect(sm2Verify(publicKey, Buffer.from('message digesT'), signature, options)).toBe(false);
    expect(sm2Verify(publicKey, MESSAGE, signature, { ...options, id: 'BOB123@YAHOO.COM' })).toBe(false);
    const flipped = Buffer.from(signature);
    flipped[40] ^= 1;
    expect(sm2Verify(publicKey, MESSAGE, flipped, options)).toBe(false);
    expect(sm2Verify({ x: publicKey.x, y: publicKey.y + 1n }, MESSAGE, signature, options)).toBe(false);
    expect(sm2Verify(publicKey, MESSAGE, signature.subarray(0, 63), options)).toBe(false);
  });

  it('signs and verifies on the recommended curve with the default id, fresh k each time', () => {
    const d = big('3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8');
    const pub = sm2PublicKey(d);
    const [one, two] = [sm2Sign(d, MESSAGE), sm2Sign(d, MESSAGE)];
    expect(one.equals(two)).toBe(false);
    expect(sm2Verify(pub, MESSAGE, one) && sm2Verify(pub, MESSAGE, two)).toBe(true);
  });

  it('is not what Node signs with a key on the SM2 curve (ECDSA with SM3): each refuses the other\'s signature', () => {
    const { privateKey, publicKey: nodePublic } = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const der = nodePublic.export({ type: 'spki', format: 'der' });
    const point = { x: big(der.subarray(der.length - 64, der.length - 32).toString('hex')), y: big(der.subarray(der.length - 32).toString('hex')) };
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
    // The private scalar: the 32-byte OCTET STRING after the ECPrivateKey's version (02 01 01 04 20).
    const at = pkcs8.indexOf(Buffer.from([0x02, 0x01, 0x01, 0x04, 0x20])) + 5;
    const d = big(pkcs8.subarray(at, at + 32).toString('hex'));
    expect(sm2PublicKey(d)).toEqual(point);
    const nodeDer = sign('sm3', MESSAGE, privateKey);
    const rLen = nodeDer[3];
    const r = nodeDer.subarray(4, 4 + rLen).subarray(-32);
    const s = nodeDer.subarray(6 + rLen).subarray(-32);
    const raw = Buffer.concat([Buffer.alloc(32 - r.length), r, Buffer.alloc(32 - s.length), s]);
    expect(sm2Verify(point, MESSAGE, raw)).toBe(false);
    // Our SM2 signature of the same key, DER-encoded, is refused by Node's verify (ECDSA-with-SM3).
    expect(verify('sm3', MESSAGE, createPublicKey(nodePublic.export({ type: 'spki', format: 'pem' })), signBytes(privateKey, MESSAGE))).toBe(false);
  });
});
