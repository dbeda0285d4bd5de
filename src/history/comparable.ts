import { isDeepStrictEqual } from 'node:util';
import type { RunShape } from './types.js';

/**
 * Why a run cannot be compared with the one before it: other functions, builds, axes, region or
 * payload measure something else, so a change in its numbers says nothing about performance.
 * Empty when they compare. The axes' values may differ: cells in one run only are not compared.
 */
export function incomparability(before: RunShape, after: RunShape): string[] {
  const reasons: string[] = [];
  const names = (shape: RunShape) => listText(shape.functions.map((f) => f.name));
  if (names(before) !== names(after)) reasons.push(`functions differ (${names(before)} → ${names(after)})`);
  for (const fn of after.functions) {
    const earlier = before.functions.find((f) => f.name === fn.name);
    if (earlier !== undefined && earlier.architecture !== fn.architecture)
      reasons.push(`${fn.name} changed architecture (${earlier.architecture} → ${fn.architecture})`);
  }
  if (listText(before.axes) !== listText(after.axes)) reasons.push(`the axes differ (${listText(before.axes)} → ${listText(after.axes)})`);
  if (before.region !== after.region) reasons.push(`regions differ (${before.region} → ${after.region})`);
  if (payloadsDiffer(before.payloads, after.payloads)) reasons.push('the payloads differ');
  return reasons;
}

function listText(items: readonly string[]): string {
  return [...items].sort().join(', ') || 'none';
}

/** A payload file of the same name must hold the same payload; a file in one run only is a cell the other lacks. Key order does not matter. */
function payloadsDiffer(before: RunShape['payloads'], after: RunShape['payloads']): boolean {
  return Object.keys(after).some((name) => Object.hasOwn(before, name) && !isDeepStrictEqual(before[name], after[name]));
}
