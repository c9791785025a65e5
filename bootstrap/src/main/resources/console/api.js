// The console's only way out: fetch to this service's public API (CSP connect-src 'self'), with the
// session's token. Bodies are parsed as JSON, whose amounts are strings and stay strings.

import { token } from './session.js';

/** A refusal by the API: its status and problem+json body (RFC 9457, with code, request_id, errors). */
export class ApiProblem extends Error {
  constructor(status, problem, retryAfter) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  get code() {
    return this.problem.code ?? null;
  }
}

/** Listeners hear every 401 here, so any page can send the user back to sign in. */
export const unauthorized = new EventTarget();

/**
 * @returns {Promise<{status: number, json: any, replayed: boolean}>}
 * @throws ApiProblem for any answer that is not 2xx; a TypeError when the service cannot be reached
 */
export async function call(path, { method = 'GET', body, idempotencyKey, bearer = token() } = {}) {
  const headers = { Accept: 'application/json' };
  if (bearer !== null) {
    headers.Authorization = `Bearer ${bearer}`;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (idempotencyKey !== undefined) {
    headers['Idempotency-Key'] = idempotencyKey;
  }
  const response = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store', credentials: 'omit', redirect: 'error', referrerPolicy: 'no-referrer',
  });
  const text = await response.text();
  let json = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  if (!response.ok) {
    const problem = new ApiProblem(response.status, json ?? { title: response.statusText, status: response.status },
      response.headers.get('Retry-After'));
    if (response.status === 401) {
      unauthorized.dispatchEvent(new CustomEvent('unauthorized', { detail: problem }));
    }
    throw problem;
  }
  return { status: response.status, json, replayed: response.headers.get('Idempotent-Replayed') === 'true' };
}

/** A listing's path with its query: {@code limit}, {@code cursor} and the rest, empty values left out. */
export function listing(path, query) {
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== '') {
      parameters.set(name, value);
    }
  }
  const text = parameters.toString();
  return text === '' ? path : `${path}?${text}`;
}
