import { badInput } from '../errors';

/** Journey levels (KRAKEN.md §3.1): a base, then `+`-joined add-ons. */
export const LEVEL_BASES = ['uniqueness', 'basic', 'plus'] as const;

export const LEVEL_ADD_ONS = [
  'liveness', 'selfie', 'sow', 'ssn', 'telegram', 'twitter', 'uniq', 'idos',
  'email', 'phoneNumber', 'wallet', 'wallet-ada', 'wallet-algo', 'wallet-btc',
  'wallet-eth', 'wallet-kar', 'wallet-sol', 'wallet-substrate',
] as const;

const bases: ReadonlySet<string> = new Set(LEVEL_BASES);
const addOns: ReadonlySet<string> = new Set(LEVEL_ADD_ONS);

/**
 * Checks a level string such as `basic+liveness+idos` and returns it trimmed.
 * Throws BAD_USER_INPUT naming the part that is wrong.
 */
export function validateLevel(level: string): string {
  const [base, ...extras] = level.trim().split('+');
  if (!bases.has(base)) {
    throw badInput(`level must start with one of ${LEVEL_BASES.join(', ')}; got "${clip(base)}"`);
  }

  const seen = new Set<string>();
  for (const addOn of extras) {
    if (!addOns.has(addOn)) {
      throw badInput(`unknown level add-on "${clip(addOn)}"; known: ${LEVEL_ADD_ONS.join(', ')}`);
    }
    if (seen.has(addOn)) throw badInput(`level add-on "${addOn}" appears twice`);
    seen.add(addOn);
  }

  return [base, ...extras].join('+');
}

function clip(value: string): string {
  return value.length > 32 ? `${value.slice(0, 32)}…` : value;
}
