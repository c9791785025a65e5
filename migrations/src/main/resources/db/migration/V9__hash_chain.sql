-- Tamper evidence (api.md v2, "Tamper evidence"): each entry's hash in its user's chain, and the
-- chain's head beside the balance, so the next move chains without reading the ledger. V10 (Java,
-- HashChainsFromHistory) fills both for the entries written so far; V11 then makes them required
-- and the ledger append-only.
ALTER TABLE ledger_entries ADD COLUMN hash char(64);
ALTER TABLE credits ADD COLUMN last_hash char(64) NOT NULL DEFAULT repeat('0', 64);

