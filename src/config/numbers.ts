import { badFlag } from '../errors.js';

/** A number flag as yargs hands it over: its default as a number, or the text the user typed. */
export type NumberFlag = number | string;

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * A flag's number, written in decimal: `0x200`, `1e3`, `Infinity` and an empty value are refused
 * rather than read as something the user did not mean.
 */
export function decimal(flag: string, value: NumberFlag): number;
export function decimal(flag: string, value: NumberFlag | undefined): number | undefined;
export function decimal(flag: string, value: NumberFlag | undefined): number | undefined {
  if (value === undefined || typeof value === 'number') return value;
  if (!DECIMAL.test(value.trim())) throw badFlag(flag, `takes a decimal number (got "${value}").`, `For example ${flag} 10.`);
  return Number(value);
}
