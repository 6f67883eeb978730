/**
 * The random numbers of a Monte Carlo run. Every draw comes from a stream of
 * its own, keyed by (seed, sample index, uncertain entry) alone: a sample
 * draws the same multipliers whichever thread, process or machine solves it,
 * and in whatever order. No `Math.random`.
 *
 * The key is a chain of splitmix64 finalizers over the three numbers; the
 * stream is xoshiro128** seeded from the key by splitmix64 (the seeding its
 * authors recommend). Uniform numbers carry 53 random bits.
 */

const MASK64 = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;
const TWO_POW_26 = 67_108_864;
const TWO_POW_53 = 9_007_199_254_740_992;

/** splitmix64's finalizer: a bijection of 64-bit words that mixes every bit into every other. */
function mix64(value: bigint): bigint {
  let z = value & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** Folds one (safe, possibly negative) integer into a key. */
function fold(key: bigint, value: number): bigint {
  return mix64(((key ^ BigInt.asUintN(64, BigInt(value))) + GOLDEN_GAMMA) & MASK64);
}

/** A xoshiro128** generator. */
export class RandomStream {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** The stream of entry `entry` of sample `sample` of a run seeded with `seed`. */
  constructor(seed: number, sample: number, entry: number) {
    let state = fold(fold(fold(0n, seed), sample), entry);
    const words: number[] = [];
    for (let i = 0; i < 2; i++) {
      state = (state + GOLDEN_GAMMA) & MASK64;
      const out = mix64(state);
      words.push(Number(out >> 32n) >>> 0, Number(out & 0xffffffffn) >>> 0);
    }
    const [s0 = 0, s1 = 0, s2 = 0, s3 = 0] = words;
    // xoshiro's one forbidden state; two rounds of splitmix64 never give it in practice.
    this.s0 = s0 === 0 && s1 === 0 && s2 === 0 && s3 === 0 ? 1 : s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  /** The next 32 random bits, as an unsigned integer. */
  next32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform number in [0, 1) with 53 random bits: a multiple of 2⁻⁵³, at most 1 − 2⁻⁵³. */
  uniform(): number {
    const high = this.next32() >>> 5;
    const low = this.next32() >>> 6;
    return (high * TWO_POW_26 + low) / TWO_POW_53;
  }
}

function rotl(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}
