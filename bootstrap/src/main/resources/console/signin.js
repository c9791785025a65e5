// Sign-in by pasting a token. It is checked with a read that changes nothing (the caller's alert
// threshold opens no account), then kept in sessionStorage for this tab only.

import { call } from './api.js';
import { h, fill, time } from './dom.js';
import { caller, cleanToken, signIn } from './session.js';
import { explain } from './problems.js';

export function renderSignIn(main, { message, onSignedIn }) {
  const tokenInput = h('textarea', {
    id: 'token', name: 'token', rows: '4', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off',
    required: true, 'aria-describedby': 'token-hint token-error',
  });
  const error = h('p', { class: 'field-error', id: 'token-error', role: 'alert' }, message ?? '');
  const form = h('form', { id: 'sign-in-form', novalidate: true },
    h('label', { for: 'token' }, 'Token (JWT)'),
    h('p', { class: 'hint', id: 'token-hint' },
      'An admin token (scope credits:admin) opens every account; a user’s token shows that user’s own account. '
      + 'It stays in this browser tab (sessionStorage) and is sent only to this service.'),
    tokenInput, error,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Sign in')));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const jwt = cleanToken(tokenInput.value);
    const who = caller(jwt);
    if (who === null) {
      say(error, tokenInput, 'This is not a JWT: paste the three dot-separated parts bin/credits token printed.');
      return;
    }
    if (who.expiresAt !== null && who.expiresAt.getTime() <= Date.now()) {
      say(error, tokenInput, ['This token expired on ', time(who.expiresAt.toISOString()), ': mint a new one.']);
      return;
    }
    try {
      await call('/api/billing/credits/alerts', { bearer: jwt });
    } catch (problem) {
      say(error, tokenInput, explain(problem).summary);
      return;
    }
    tokenInput.value = '';
    signIn(jwt);
    onSignedIn(who);
  });

  fill(main,
    h('h1', { tabindex: '-1' }, 'Sign in'),
    form,
    h('section', { 'aria-labelledby': 'dev-token-h', class: 'aside' },
      h('h2', { id: 'dev-token-h' }, 'No token? On a development machine'),
      h('p', {}, 'With the embedded default (no CREDITS_JWT_HMAC_SECRET or JWKS set), the service signs with a development secret in its data dir. '
        + 'Mint a token on the machine that runs it, in the checkout:'),
      h('pre', {}, h('code', {}, 'bin/credits token --user finance --scope credits:admin')),
      h('p', {}, 'for finance or support, or a user’s, to see what that user sees:'),
      h('pre', {}, h('code', {}, 'bin/credits token --user alice')),
      h('p', {}, 'Tokens last an hour (--ttl SECONDS for another span). Elsewhere, use a token from your identity provider.')));
  main.querySelector('h1').focus();
  return () => {};
}

function say(line, control, content) {
  fill(line, content);
  control.setAttribute('aria-invalid', 'true');
  control.focus();
}
