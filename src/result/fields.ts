import { z } from 'zod';
import { expected, oneOf } from './wording.js';

/**
 * The field types lambda-tune's files are made of, each telling its problems in the words of
 * wording.ts. Every call makes a new schema, so a description given to one use stays with it.
 */

export const MEMORY_MIN_MB = 128;
export const MEMORY_MAX_MB = 10_240;
export const MEMORY_WORDS = `a whole number of MB from ${MEMORY_MIN_MB} to ${MEMORY_MAX_MB}`;

export const text = () => z.string(expected('a string'));
/** A string that names something, so it cannot be empty. */
export const name = (what: string) => z.string(expected(what)).min(1, expected(what));
export const flag = () => z.boolean(expected('true or false'));
export const finite = () => z.number(expected('a finite number'));
export const nonNegative = () => z.number(expected('a finite number ≥ 0')).min(0, expected('a finite number ≥ 0'));
export const positive = () => z.number(expected('a finite number > 0')).positive(expected('a finite number > 0'));
export const wholeNumber = (min: number) => {
  const words = expected(`a whole number ≥ ${min}`);
  return z.number(words).int(words).min(min, words);
};
export const fraction = () => {
  const words = expected('a number from 0 to 1');
  return z.number(words).min(0, words).max(1, words);
};
export const memoryMb = () => {
  const words = expected(MEMORY_WORDS);
  return z.number(words).int(words).min(MEMORY_MIN_MB, words).max(MEMORY_MAX_MB, words);
};
export const list = <S extends z.ZodType>(item: S, what = 'a list') => z.array(item, expected(what));
export const nonEmpty = <S extends z.ZodType>(item: S, what: string) => z.array(item, expected(what)).min(1, expected(what));
export const object = <S extends z.core.$ZodLooseShape>(shape: S) => z.object(shape, expected('an object'));
export const record = <S extends z.ZodType>(value: S) => z.record(z.string(), value, expected('an object'));
export const choice = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, expected(oneOf(values)));
