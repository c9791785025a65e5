// Exact USDC amounts: BigInt counts of 10^-7 USDC, as the service keeps them. The API's strings are
// never turned into floating point; this module only adds and subtracts them for previews.

const UNITS_PER_USDC = 10n ** 7n;
// The API's input grammar (docs/api.md, "Conventions"); its canonical output matches it too.
const AMOUNT = /^(0|[1-9][0-9]*)(?:\.([0-9]{1,7}))?$/;

/** The amount in units, or null when the text is not an amount the API would accept. */
export function parseUsdc(text) {
  const match = AMOUNT.exec(typeof text === 'string' ? text : '');
  if (match === null) {
    return null;
  }
  return BigInt(match[1]) * UNITS_PER_USDC + BigInt((match[2] ?? '').padEnd(7, '0'));
}

/** Units in the API's canonical form: two to seven fraction digits, trailing zeros trimmed after the second. */
export function formatUsdc(units) {
  const sign = units < 0n ? '-' : '';
  const magnitude = units < 0n ? -units : units;
  const fraction = (magnitude % UNITS_PER_USDC).toString().padStart(7, '0').replace(/0+$/, '').padEnd(2, '0');
  return `${sign}${magnitude / UNITS_PER_USDC}.${fraction}`;
}

/** The sum of API amounts in units; null when any of them is not an amount. */
export function sumUsdc(amounts) {
  let total = 0n;
  for (const amount of amounts) {
    const units = parseUsdc(amount);
    if (units === null) {
      return null;
    }
    total += units;
  }
  return total;
}
