// The admin's two money moves: a grant and the refund of a deduction. Each is reviewed first (what
// exactly will move, the request as it will be sent, its Idempotency-Key), then sent once.

import { call } from './api.js';
import { h, fill, time, shortId, zoneName, announce } from './dom.js';
import { parseUsdc, formatUsdc, sumUsdc } from './money.js';
import { field, problemBox, clearProblems, showProblem, idempotencyKey, forgetKey, confirmation } from './forms.js';

const GRANT = '/api/admin/billing/credits/grant';
const REFUNDS = '/api/admin/billing/credits/refunds';

/** The grant form of an account page ({@code page}: its user, balance and reload). */
export function grantSection(page) {
  const amountInput = h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false', required: true });
  const category = h('select', {}, h('option', { value: 'promotional' }, 'promotional'), h('option', { value: 'paid' }, 'paid'));
  const priority = h('input', { type: 'number', min: '0', max: '100', step: '1', value: '50', inputmode: 'numeric' });
  const expires = h('input', { type: 'datetime-local', step: '1' });
  const reason = h('textarea', { rows: '2' });
  const form = h('form', { id: 'grant-form', novalidate: true },
    problemBox(),
    field('grant', { name: 'amount_usdc', label: 'Amount (USDC)', control: amountInput, hint: 'Up to 7 decimals, e.g. 25.50' }),
    h('div', { class: 'row' },
      field('grant', { name: 'category', label: 'Category', control: category }),
      field('grant', { name: 'priority', label: 'Priority', control: priority, hint: '0–100, lower is used first' })),
    field('grant', { name: 'expires_at', label: 'Expires', control: expires, hint: `In your time zone (${zoneName()}); empty: never` }),
    field('grant', { name: 'reason', label: 'Reason', control: reason, hint: 'Optional; shown in the history' }),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Review the grant')));
  const review = h('section', { id: 'grant-review', class: 'confirm', hidden: true });
  const result = h('p', { class: 'result', role: 'status', hidden: true });
  const formId = `grant:${page.userId}`;

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearProblems(form);
    result.hidden = true;
    if (amountInput.value.trim() === '') {
      requireField(form, amountInput, 'Amount (USDC): enter how much to grant.');
      return;
    }
    const body = {
      user_id: page.userId,
      amount_usdc: amountInput.value.trim(),
      category: category.value,
      priority: jsonInteger(priority.value),
      expires_at: expires.value === '' ? null : utcInstant(expires.value),
      reason: reason.value.trim() === '' ? null : reason.value.trim(),
    };
    const key = idempotencyKey(formId, body);
    const units = parseUsdc(body.amount_usdc);
    form.hidden = true;
    confirmation(review, {
      heading: `Confirm: grant ${body.amount_usdc} USDC to ${page.userId}`,
      rows: [
        ['User', page.userId],
        ['Amount', h('span', { class: 'amount big', 'data-confirm': 'amount' }, `${body.amount_usdc} USDC`)],
        ['Lot', `${body.category}, priority ${body.priority}`],
        ['Expires', body.expires_at === null ? 'never' : [time(body.expires_at), ` (${body.expires_at})`]],
        ['Reason', body.reason ?? '—'],
        ...sendingRows(page, units, key, GRANT, body),
      ],
      confirmLabel: `Grant ${body.amount_usdc} USDC`,
      onBack: () => back(form, review, amountInput),
      onConfirm: async () => {
        try {
          const answer = await call(GRANT, { method: 'POST', body, idempotencyKey: key });
          forgetKey(formId);
          form.reset();
          back(form, review, null);
          done(result, `Granted ${answer.json.amount_usdc} USDC to ${page.userId}: balance now ${answer.json.balance_after_usdc} `
            + `(entry ${answer.json.id})${replayedNote(answer)}.`);
          page.reload();
        } catch (error) {
          back(form, review, null);
          showProblem(form, error);
        }
      },
    });
  });

  return {
    element: h('section', { 'aria-labelledby': 'grant-h', class: 'action' },
      h('h2', { id: 'grant-h' }, 'Grant credits'), result, form, review),
  };
}

/** The refund form, opened from a deduction's row of the history. */
export function refundSection(page) {
  const element = h('section', { 'aria-labelledby': 'refund-h', class: 'action', id: 'refund', hidden: true });
  const result = h('p', { class: 'result', role: 'status', hidden: true });
  let current = null;

  function open(deduction) {
    current = deduction;
    const refunded = page.refundedBefore(deduction);
    const refundedUnits = refunded === null ? null : sumUsdc(refunded);
    const rest = refundedUnits === null ? null : formatUsdc(parseUsdc(deduction.amount_usdc) - refundedUnits);
    const amountInput = h('input', { type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false' });
    const reason = h('textarea', { rows: '2', required: true });
    const formId = `refund:${deduction.id}`;
    const form = h('form', { id: 'refund-form', novalidate: true },
      problemBox(),
      field('refund', { name: 'amount_usdc', label: 'Amount (USDC)', control: amountInput,
        hint: rest === null ? 'Empty: all that is left of it' : `Empty: all that is left of it, ${rest} USDC` }),
      field('refund', { name: 'reason', label: 'Reason', control: reason, hint: 'Required; shown in the history' }),
      h('div', { class: 'buttons' },
        h('button', { type: 'submit', class: 'primary' }, 'Review the refund'),
        h('button', { type: 'button', onclick: close }, 'Cancel')));
    const review = h('section', { id: 'refund-review', class: 'confirm', hidden: true });

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      clearProblems(form);
      if (reason.value.trim() === '') {
        requireField(form, reason, 'Reason: say why the deduction is refunded.');
        return;
      }
      const body = { deduction_id: deduction.id, reason: reason.value.trim() };
      if (amountInput.value.trim() !== '') {
        body.amount_usdc = amountInput.value.trim();
      }
      const key = idempotencyKey(formId, body);
      const refund = body.amount_usdc ?? rest;
      const units = parseUsdc(refund);
      form.hidden = true;
      confirmation(review, {
        heading: refund === null ? `Confirm: refund what is left of deduction ${deduction.id.slice(0, 8)}`
          : `Confirm: refund ${refund} USDC to ${page.userId}`,
        rows: [
          ['User', page.userId],
          ['Deduction', [h('code', {}, deduction.id), ` of ${deduction.amount_usdc} USDC, `, time(deduction.created_at),
            deduction.reference === null ? '' : `, ${deduction.reference}`]],
          ['Refund', h('span', { class: 'amount big', 'data-confirm': 'amount' }, body.amount_usdc === undefined
            ? (rest === null ? 'all that is left of it' : `${rest} USDC (all that is left of it)`) : `${body.amount_usdc} USDC`)],
          ['Back to', h('ul', { class: 'details' }, [...deduction.drawn_from].reverse().map((draw) =>
            h('li', {}, 'lot ', shortId(draw.grant_id), ` (gave ${draw.amount_usdc})`))), ],
          ['Reason', body.reason],
          ...sendingRows(page, units, key, REFUNDS, body),
        ],
        confirmLabel: refund === null ? 'Refund it' : `Refund ${refund} USDC`,
        onBack: () => back(form, review, amountInput),
        onConfirm: async () => {
          try {
            const answer = await call(REFUNDS, { method: 'POST', body, idempotencyKey: key });
            forgetKey(formId);
            done(result, `Refunded ${answer.json.amount_usdc} USDC of deduction ${deduction.id.slice(0, 8)} to ${page.userId}: `
              + `balance now ${answer.json.balance_after_usdc} (entry ${answer.json.id})${replayedNote(answer)}.`);
            close();
            page.reload();
          } catch (error) {
            back(form, review, null);
            showProblem(form, error);
          }
        },
      });
    });

    fill(element,
      h('h2', { id: 'refund-h', tabindex: '-1' }, 'Refund a deduction'),
      result,
      h('p', {}, 'Deduction ', h('code', {}, deduction.id), ` of ${deduction.amount_usdc} USDC, `, time(deduction.created_at),
        deduction.reference === null ? '' : ` (${deduction.reference})`,
        refunded === null || refunded.length === 0 ? '' : `; ${formatUsdc(refundedUnits)} refunded before`, '.'),
      form, review);
    result.hidden = true;
    element.hidden = false;
    element.querySelector('h2').focus();
  }

  function close() {
    const kept = result.hidden ? null : result;
    fill(element, h('h2', { id: 'refund-h', tabindex: '-1' }, 'Refund a deduction'), kept);
    element.hidden = kept === null;
    current = null;
  }

  return { element, open, get current() { return current; } };
}

/**
 * The confirmation's last rows, the same for every move: the balance before and after {@code units}
 * more (when both are known amounts), the Idempotency-Key, and the request exactly as it will be sent.
 */
function sendingRows(page, units, key, path, body) {
  const balance = parseUsdc(page.credit?.balance_usdc);
  return [
    ['Balance', units === null || balance === null ? `${page.credit?.balance_usdc ?? '?'} now`
      : `${page.credit.balance_usdc} now → ${formatUsdc(balance + units)} after (if nothing else moves first)`],
    ['Idempotency-Key', h('code', { 'data-confirm': 'key' }, key)],
    ['Request', h('code', { class: 'request' }, `POST ${path} ${JSON.stringify(body)}`)],
  ];
}

/** {@code "50"} as the JSON integer 50; anything else as typed, for the API to refuse by name. */
function jsonInteger(text) {
  return /^(0|[1-9][0-9]*)$/.test(text.trim()) ? JSON.parse(text.trim()) : text;
}

/** A datetime-local value (the browser's zone) as the API's UTC instant; as typed when it is no date. */
function utcInstant(local) {
  const instant = new Date(local);
  return Number.isNaN(instant.getTime()) ? local : instant.toISOString();
}

function requireField(form, control, message) {
  const line = form.querySelector(`[data-error-for="${control.name}"]`);
  line.textContent = message;
  control.setAttribute('aria-invalid', 'true');
  control.focus();
}

function back(form, review, focus) {
  review.hidden = true;
  review.replaceChildren();
  form.hidden = false;
  focus?.focus();
}

function done(result, text) {
  result.textContent = text;
  result.hidden = false;
  announce(text);
}

function replayedNote(answer) {
  return answer.replayed ? ' — the service had made this one already and replayed it: nothing moved twice' : '';
}
