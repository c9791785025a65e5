// What the grant and refund forms share: labelled fields with a place for the API's word on each,
// an Idempotency-Key that survives retries of the same request, and a confirmation step.

import { h, fill } from './dom.js';
import { explain } from './problems.js';

/**
 * A labelled control named as the API's field ({@code name}), with an optional hint and an empty
 * error line the control is described by, so a screen reader reads the API's message with it.
 */
export function field(form, { name, label, control, hint }) {
  const id = `${form}-${name}`;
  control.id = id;
  control.name = name;
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    control,
    h('p', { class: 'field-error', id: errorId, 'data-error-for': name }));
}

/** Clears what an earlier answer marked on the form. */
export function clearProblems(form) {
  for (const line of form.querySelectorAll('[data-error-for]')) {
    line.textContent = '';
  }
  for (const control of form.querySelectorAll('[aria-invalid]')) {
    control.removeAttribute('aria-invalid');
  }
  const summary = form.querySelector('.form-error');
  summary.textContent = '';
  summary.hidden = true;
}

/**
 * Shows a refusal: each message next to the field it names (labelled with that field's label), the
 * rest and the plain summary at the top of the form; focus goes to the first field named, else the summary.
 */
export function showProblem(form, error) {
  clearProblems(form);
  const { summary, fields } = explain(error);
  const elsewhere = [];
  let first = null;
  for (const { field: name, message } of fields) {
    const line = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
    const control = form.elements.namedItem(name);
    if (line === null || control === null) {
      elsewhere.push(`${name} ${message}`);
      continue;
    }
    const label = form.querySelector(`label[for="${CSS.escape(control.id)}"]`)?.textContent ?? name;
    line.textContent = `${label}: ${message}`;
    control.setAttribute('aria-invalid', 'true');
    first ??= control;
  }
  const box = form.querySelector('.form-error');
  fill(box, summary, elsewhere.length > 0 ? h('span', { class: 'block' }, elsewhere.join('; ')) : null);
  box.hidden = false;
  (first ?? box).focus();
}

/** The error summary every form starts with: an alert, so what the API said is read out when it appears. */
export function problemBox() {
  return h('div', { class: 'form-error', role: 'alert', tabindex: '-1', hidden: true });
}

const KEYS = 'credits.console.key.';

/**
 * The Idempotency-Key for {@code body} sent by form {@code formId}: the same as last time while the
 * request is the same (a retry after an error or a lost answer moves money at most once), a fresh
 * one when any field changed. Kept in sessionStorage, so a reload between the tries keeps it too.
 */
export function idempotencyKey(formId, body) {
  const request = JSON.stringify(body);
  const kept = JSON.parse(sessionStorage.getItem(KEYS + formId) ?? 'null');
  if (kept !== null && kept.request === request) {
    return kept.key;
  }
  const key = crypto.randomUUID();
  sessionStorage.setItem(KEYS + formId, JSON.stringify({ request, key }));
  return key;
}

/** After a success the next request of this form, even an identical one, is a new one. */
export function forgetKey(formId) {
  sessionStorage.removeItem(KEYS + formId);
}

/**
 * The confirmation step: exactly what will move, as a list of label and value, then a button that
 * sends it and one that goes back. Focus moves to its heading, so it is read first.
 */
export function confirmation(container, { heading, rows, confirmLabel, onConfirm, onBack }) {
  const title = h('h3', { tabindex: '-1', id: `${container.id}-title` }, heading);
  const send = h('button', { type: 'button', class: 'primary', 'data-action': 'confirm' }, confirmLabel);
  const back = h('button', { type: 'button', 'data-action': 'back' }, 'Back to the form');
  send.addEventListener('click', async () => {
    send.disabled = true;
    back.disabled = true;
    send.textContent = 'Sending…';
    try {
      await onConfirm();
    } finally {
      send.disabled = false;
      back.disabled = false;
      send.textContent = confirmLabel;
    }
  });
  back.addEventListener('click', onBack);
  fill(container,
    title,
    h('dl', { class: 'confirm-list' }, rows.map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)])),
    h('div', { class: 'buttons' }, send, back));
  container.setAttribute('aria-labelledby', title.id);
  container.hidden = false;
  title.focus();
}
