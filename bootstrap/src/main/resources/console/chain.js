// The tamper evidence of docs/api.md, "Verifying the hash chain", recomputed in the browser:
// hash = SHA-256 hex of prev_hash|id|type|user_id|amount_usdc|balance_after_usdc|created_at|
// reference|reason|deduction_id|hold_id|grant_id|drawn_from, every part exactly as served.

export const FIRST_PREVIOUS = '0'.repeat(64);

const PARTS = ['id', 'type', 'user_id', 'amount_usdc', 'balance_after_usdc', 'created_at',
  'reference', 'reason', 'deduction_id', 'hold_id', 'grant_id'];

/** The text an entry's hash is taken over, given the hash of the entry before it. */
export function chainText(previousHash, entry) {
  const parts = [previousHash, ...PARTS.map((name) => entry[name] ?? '')];
  parts.push((entry.drawn_from ?? []).map((draw) => `${draw.grant_id}:${draw.amount_usdc}`).join(','));
  return parts.join('|');
}

export async function sha256Hex(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Checks every link of a history given oldest first. Each entry is hashed over the hash the entry
 * before it was served with, so an altered entry is named itself rather than everything after it.
 * When the walk did not reach the first entry (complete false), the oldest one seen is only an anchor.
 *
 * @returns {Promise<{state: 'intact'|'broken'|'partial', checked: number, broken: object[],
 *           newestHash: string|null, verdicts: Map<string, boolean>}>}
 */
export async function verifyChain(oldestFirst, complete) {
  const verdicts = new Map();
  const broken = [];
  let previous = complete ? FIRST_PREVIOUS : null;
  for (const entry of oldestFirst) {
    if (previous !== null) {
      const intact = (await sha256Hex(chainText(previous, entry))) === entry.hash;
      verdicts.set(entry.id, intact);
      if (!intact) {
        broken.push(entry);
      }
    }
    previous = entry.hash;
  }
  const state = broken.length > 0 ? 'broken' : complete ? 'intact' : 'partial';
  return { state, checked: verdicts.size, broken, newestHash: previous, verdicts };
}
