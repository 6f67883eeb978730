import { RandomStream } from "./random.js";
import type { Distribution, MonteCarloSpec } from "./schema.js";

/**
 * How far from its mean a normal draw can land, in standard deviations. A
 * draw is √(−2 ln u₁)·cos(2π u₂) (Box–Muller) with u₁ in [2⁻⁵³, 1], so its
 * size is at most √(2·53·ln 2) ≈ 8.5727: a normal multiplier never exceeds
 * 1 + 8.58·sd, and validation checks the scenario there.
 */
export const NORMAL_REACH = 8.58;

/**
 * One multiplier from `distribution`, drawn from `stream`:
 * - normal: mean 1, standard deviation `sd`, truncated at 0 by drawing again
 *   while the draw is negative (the draws kept follow the normal
 *   conditioned on being ≥ 0, whose mean exceeds 1 by less than 0.001 for sd ≤ 0.3);
 * - uniform: low + (high − low)·u;
 * - triangular: the inverse of its distribution function at u.
 */
export function drawMultiplier(distribution: Distribution, stream: RandomStream): number {
  switch (distribution.kind) {
    case "normal": {
      const { sd } = distribution;
      if (sd === 0) return 1;
      for (;;) {
        const radius = Math.sqrt(-2 * Math.log(1 - stream.uniform()));
        const multiplier = 1 + sd * radius * Math.cos(2 * Math.PI * stream.uniform());
        if (multiplier >= 0) return multiplier;
      }
    }
    case "uniform": {
      const { low, high } = distribution;
      return low === high ? low : low + (high - low) * stream.uniform();
    }
    case "triangular": {
      const { low, mode, high } = distribution;
      if (low === high) return low;
      const u = stream.uniform();
      const width = high - low;
      return u < (mode - low) / width ? low + Math.sqrt(u * width * (mode - low)) : high - Math.sqrt((1 - u) * width * (high - mode));
    }
  }
}

/** The smallest and largest multiplier `distribution` can draw. */
export function multiplierRange(distribution: Distribution): { readonly low: number; readonly high: number } {
  switch (distribution.kind) {
    case "normal":
      return { low: distribution.sd === 0 ? 1 : 0, high: 1 + NORMAL_REACH * distribution.sd };
    case "uniform":
    case "triangular":
      return { low: distribution.low, high: distribution.high };
  }
}

/** The multipliers of sample `index`, one per uncertain entry, in the entries' order: a function of the seed, the index and the distributions alone. */
export function sampleMultipliers(spec: Pick<MonteCarloSpec, "seed" | "uncertain">, index: number): number[] {
  return spec.uncertain.map((entry, e) => drawMultiplier(entry.distribution, new RandomStream(spec.seed, index, e)));
}
