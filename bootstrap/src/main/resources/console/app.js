// The console's entry point: who is signed in, and which page the address (#/…) asks for.
//   #/users[/<user id>]  admin: look a user up, their account and actions
//   #/webhooks           admin: endpoints and deliveries
//   #/me                 anyone: the caller's own account, read-only

import { h, fill, zoneName, announce } from './dom.js';
import { unauthorized } from './api.js';
import { caller, signOut, token } from './session.js';
import { explain } from './problems.js';
import { renderSignIn } from './signin.js';
import { renderAccount } from './account.js';
import { renderWebhooks } from './webhooks.js';

const main = document.getElementById('main');
let leave = () => {};

function route(message) {
  leave();
  leave = () => {};
  const who = token() === null ? null : caller();
  showCaller(who);
  if (who === null) {
    leave = renderSignIn(main, { message, onSignedIn: (signedIn) => go(signedIn.admin ? '#/users' : '#/me') });
    return;
  }
  const [page = '', ...rest] = location.hash.startsWith('#/') ? location.hash.slice(2).split('/') : [];
  if (page === 'users') {
    leave = renderUsers(decodeURIComponent(rest.join('/')));
  } else if (page === 'webhooks') {
    leave = renderWebhooks(main);
  } else if (page === 'me') {
    leave = renderAccount(main, { userId: who.userId, admin: false });
  } else {
    go(who.admin ? '#/users' : '#/me');
  }
}

/** The lookup form, and below it the account of the user named in the address. */
function renderUsers(userId) {
  const input = h('input', { id: 'lookup-user', name: 'user_id', type: 'search', autocomplete: 'off', spellcheck: 'false', value: userId });
  const form = h('form', { role: 'search', class: 'lookup', 'aria-label': 'Look up a user', novalidate: true },
    h('label', { for: 'lookup-user' }, 'User id (exact)'),
    h('div', { class: 'inline' }, input, h('button', { type: 'submit', class: 'primary' }, 'Look up')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = input.value.trim();
    if (id !== '') {
      go(`#/users/${encodeURIComponent(id)}`);
    }
  });
  const account = h('div', { id: 'account' });
  fill(main, form, account);
  if (userId === '') {
    fill(account, h('h1', { tabindex: '-1' }, 'Look up a user'),
      h('p', { class: 'lead' }, 'Enter a user’s exact id to see their balance, lots, holds and history, and to grant or refund.'));
    input.focus();
    return () => {};
  }
  return renderAccount(account, { userId, admin: true });
}

function showCaller(who) {
  const nav = document.getElementById('nav');
  const box = document.getElementById('who');
  nav.hidden = who === null;
  box.hidden = who === null;
  if (who === null) {
    return;
  }
  for (const item of nav.querySelectorAll('[data-for]')) {
    item.hidden = (item.dataset.for === 'admin') !== who.admin;
  }
  const here = location.hash.split('/')[1] ?? '';
  for (const link of nav.querySelectorAll('a')) {
    if (link.getAttribute('href').split('/')[1] === here) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  document.getElementById('who-text').textContent = `Signed in as ${who.userId ?? '?'}${who.admin ? ' (admin)' : ''}`;
}

function go(hash) {
  if (location.hash === hash) {
    route();
  } else {
    location.hash = hash;
  }
}

document.getElementById('zone').textContent = zoneName();
document.getElementById('sign-out').addEventListener('click', () => {
  signOut();
  announce('Signed out.');
  history.replaceState(null, '', location.pathname);
  route();
});
unauthorized.addEventListener('unauthorized', (event) => {
  if (token() !== null) {
    signOut();
    route(explain(event.detail).summary);
  }
});
window.addEventListener('hashchange', () => {
  if (location.hash === '' || location.hash.startsWith('#/')) {
    route();
  }
});
if (!window.isSecureContext) {
  fill(main, h('h1', {}, 'The console needs HTTPS'),
    h('p', { class: 'problem' }, 'Browsers give pages their crypto (the hash check, fresh Idempotency-Keys) only over HTTPS or on localhost. '
      + 'Open the console through the HTTPS address of this service.'));
} else {
  route();
}
