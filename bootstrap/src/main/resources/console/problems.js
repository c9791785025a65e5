// The API's problem+json in plain words: what happened, what to do, and the request id to quote.

import { ApiProblem } from './api.js';

const PLAIN = {
  VALIDATION_ERROR: 'The service refused some of what was sent; see the fields marked.',
  IDEMPOTENCY_KEY_REQUIRED: 'The request had no Idempotency-Key, so the service moved nothing.',
  UNAUTHORIZED: 'The service needs a token: sign in again.',
  INVALID_AUTH_HEADER: 'The service could not read the token: sign in again.',
  INVALID_TOKEN: 'The service does not accept this token (signature, issuer, audience or claims): sign in with another.',
  TOKEN_EXPIRED: 'Your token has expired: sign in with a new one.',
  INSUFFICIENT_BALANCE: 'The available balance is too small for this.',
  FORBIDDEN: 'Your token may not do this: it needs the credits:admin scope. Nothing was changed.',
  NOT_FOUND: 'The service has no such thing (ids are exact and case-sensitive).',
  IDEMPOTENCY_KEY_REUSED: 'This Idempotency-Key was already used for a different request; nothing moved. Review the form again for a new key.',
  REFUND_EXCEEDS_DEDUCTION: 'That is more than is left to refund of this deduction; nothing moved.',
  BALANCE_LIMIT_EXCEEDED: 'That would take the balance past the largest the ledger can hold; nothing moved.',
  PAYLOAD_TOO_LARGE: 'The request was too large; shorten the texts.',
  TOO_MANY_REQUESTS: 'Too many requests for now.',
  SERVICE_UNAVAILABLE: 'The service is briefly unavailable. Retrying this same form is safe: it keeps its Idempotency-Key.',
  INTERNAL_SERVER_ERROR: 'The service failed unexpectedly. Retrying this same form is safe: it keeps its Idempotency-Key.',
};

/** Problems about one field that carry no errors list: shown at that field all the same. */
const FIELD_OF_CODE = {
  REFUND_EXCEEDS_DEDUCTION: 'amount_usdc',
  BALANCE_LIMIT_EXCEEDED: 'amount_usdc',
};

/**
 * @returns {{summary: string, fields: {field: string, message: string}[]}} the summary for the form or page,
 *          and the messages that belong next to named fields
 */
export function explain(error) {
  if (!(error instanceof ApiProblem)) {
    return {
      summary: 'The service could not be reached (network error): nothing is known to have moved. '
        + 'Retrying this same form is safe: it keeps its Idempotency-Key.',
      fields: [],
    };
  }
  const problem = error.problem;
  const plain = PLAIN[error.code] ?? `The service answered ${error.status} ${problem.title ?? ''}.`.replace(' .', '.')
    + (error.status >= 500 ? ' Retrying this same form is safe: it keeps its Idempotency-Key.' : '');
  const wait = error.code === 'TOO_MANY_REQUESTS' && error.retryAfter !== null ? ` Wait ${error.retryAfter} s and try again.` : '';
  const detail = problem.detail && error.code !== 'VALIDATION_ERROR' ? ` The service said: “${problem.detail}”` : '';
  const request = problem.request_id ? ` (request id ${problem.request_id})` : '';
  const fields = (problem.errors ?? []).map((item) => ({ field: item.field, message: item.message }));
  if (FIELD_OF_CODE[error.code] !== undefined && problem.detail) {
    fields.push({ field: FIELD_OF_CODE[error.code], message: problem.detail });
  }
  return { summary: `${plain}${wait}${detail}${request}`, fields };
}
