import fc from 'fast-check';

/** One seed for every property, so a failure reproduces as it was met; PROPERTY_SEED=n explores another. */
export const SEED = Number(process.env['PROPERTY_SEED'] ?? 20_260_314);

let casesRun = 0;

/** Asserts `property` over `numRuns` generated cases (fast-check shrinks a failure and names its seed), and counts them. */
export function holds<Ts>(property: fc.IProperty<Ts>, numRuns: number): void {
  fc.assert(property, { seed: SEED, numRuns });
  casesRun += numRuns;
}

/** How many generated cases the properties of this run have checked so far. */
export function totalCases(): number {
  return casesRun;
}

/**
 * What `run` returns, or undefined when it throws an error `expected` accepts; any other error
 * escapes, so the case fails with it.
 */
export function unlessExpected<T>(run: () => T, expected: (error: unknown) => boolean): T | undefined {
  try {
    return run();
  } catch (error) {
    if (expected(error)) return undefined;
    throw error;
  }
}

/** Strings the parsers should survive: any unicode, controls and lone surrogates included. */
export const anyText = (maxLength = 200) =>
  fc.oneof(fc.string({ unit: 'grapheme', maxLength }), fc.string({ unit: 'binary', maxLength }), fc.string({ unit: 'grapheme-ascii', maxLength }));

/** Number-like text: digits, signs, exponents, NaN and Infinity spelled out, and words that are not numbers. */
export const numberishText = fc.oneof(
  fc.double().map(String),
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 400n), max: 10n ** 400n }).map(String),
  fc.constantFrom('banana', 'NaN', 'Infinity', '-Infinity', '', ' ', '-0', '0x10', '1e400', '1e-400', '１２', '٣', '.', '-', '+5', '5.', '.5', '1,5', '1_000'),
  fc.stringMatching(/^[-+]?\d{0,30}(\.\d{0,30})?(e[-+]?\d{1,4})?$/),
);

/** Mostly `usual`, sometimes `odd`: inputs near the valid ones, so a property meets both sides of every check. */
export function mostly<T, U>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<U>): fc.Arbitrary<T | U> {
  return fc.oneof({ arbitrary: usual, weight: 5 }, { arbitrary: odd, weight: 1 });
}
