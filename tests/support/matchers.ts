import { expect } from "vitest";

/**
 * vitest's asymmetric matchers, typed as the opaque values they are: vitest
 * types them `any`, which would let any use of them through unchecked.
 */
export const closeTo = (expected: number, digits?: number): unknown => expect.closeTo(expected, digits);
export const containing = (text: string): unknown => expect.stringContaining(text);
export const matching = (pattern: string | RegExp): unknown => expect.stringMatching(pattern);
export const anyNumber = (): unknown => expect.any(Number);
export const anyString = (): unknown => expect.any(String);
