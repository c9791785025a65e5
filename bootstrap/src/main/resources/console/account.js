// One account on one page: balance, lots, active holds and history with its hash chain checked here.
// The admin reads any user's (…/admin/billing/credits/{user_id}…), a user their own (…/billing/credits…):
// the same shapes, so the same page; only an admin is offered the grant and refund actions.

import { call, listing, ApiProblem } from './api.js';
import { h, fill, time, timeLeft, shortId, table } from './dom.js';
import { FIRST_PREVIOUS, chainText, sha256Hex, verifyChain } from './chain.js';
import { explain } from './problems.js';
import { grantSection, refundSection } from './actions.js';

const HISTORY_PAGE = 20;
const LOTS_PAGE = 50;
const WALK_PAGE = 200;
/** The chain check reads at most this many pages (10,000 entries); beyond, the badge says it checked only part. */
const WALK_PAGES = 50;

const EFFECT = {
  grant: 'adds', topup: 'adds', refund: 'adds', deduction: 'takes', expiry: 'takes',
  hold: 'reserves', hold_release: 'frees',
};

/** Renders the account of {@code userId} (admin) or of the caller (own view); returns what stops its timers. */
export function renderAccount(main, { userId, admin }) {
  const base = admin ? `/api/admin/billing/credits/${encodeURIComponent(userId)}` : '/api/billing/credits';
  const page = new AccountPage(main, base, userId, admin);
  page.start();
  return () => page.stop();
}

class AccountPage {
  constructor(main, base, userId, admin) {
    this.main = main;
    this.base = base;
    this.userId = userId;
    this.admin = admin;
    this.credit = null;
    this.walk = null;
    this.cursors = [null];
    this.historyPage = [];
    this.pageVerdicts = new Map();
    this.includeAllLots = false;
    this.stopped = false;
  }

  start() {
    this.balance = h('div', { class: 'figures-box' }, h('p', { class: 'loading' }, 'Loading the balance…'));
    this.lots = h('div', { class: 'table-box' });
    this.holds = h('div', { class: 'table-box' });
    this.badge = h('p', { id: 'chain-badge', class: 'badge', role: 'status', 'data-state': 'checking' });
    this.history = h('div', { class: 'table-box' });
    this.historyNav = h('div', { class: 'pager' });
    this.actions = this.admin ? grantSection(this) : null;
    this.refund = this.admin ? refundSection(this) : null;
    const lotsToggle = h('input', { type: 'checkbox', id: 'lots-all' });
    lotsToggle.addEventListener('change', () => {
      this.includeAllLots = lotsToggle.checked;
      this.loadLots();
    });
    fill(this.main,
      h('h1', { tabindex: '-1' }, this.admin ? `User ${this.userId}` : 'Your account'),
      this.admin ? null : h('p', { class: 'lead' }, `Signed in as ${this.userId ?? 'you'}. This view is read-only: grants and refunds are made by finance.`),
      h('section', { 'aria-labelledby': 'balance-h' }, h('h2', { id: 'balance-h' }, 'Balance'), this.balance),
      h('section', { 'aria-labelledby': 'lots-h' }, h('h2', { id: 'lots-h' }, 'Lots'),
        h('p', { class: 'hint' }, 'In the order deductions use them: lowest priority first, then soonest expiry, promotional before paid, oldest first.'),
        h('div', { class: 'check' }, lotsToggle, h('label', { for: 'lots-all' }, 'Also show used and expired lots')),
        this.lots),
      h('section', { 'aria-labelledby': 'holds-h' }, h('h2', { id: 'holds-h' }, 'Active holds'), this.holds),
      h('section', { 'aria-labelledby': 'history-h' }, h('h2', { id: 'history-h' }, 'History'), this.badge, this.history, this.historyNav),
      this.refund?.element ?? null,
      this.actions?.element ?? null);
    this.main.querySelector('h1').focus();
    this.countdown = setInterval(() => this.tick(), 1000);
    this.reload();
  }

  stop() {
    this.stopped = true;
    clearInterval(this.countdown);
  }

  /** Everything again, newest history page first: after a grant or refund, and on first load. */
  async reload() {
    this.cursors = [null];
    this.setBadge('checking', 'Checking the hash chain in this browser…');
    const credit = await this.loadCredit();
    if (credit) {
      await Promise.all([this.loadLots(), this.loadHolds(), this.loadHistory()]);
      // Last, so a settled badge means the history shown is the one it checked.
      await this.checkChain();
    }
  }

  async loadCredit() {
    try {
      this.credit = (await call(this.base)).json;
      this.renderBalance();
      return true;
    } catch (error) {
      this.refuse(error);
      return false;
    }
  }

  /** The account could not be read at all: say why instead of the sections, which would all fail alike. */
  refuse(error) {
    const words = error instanceof ApiProblem && error.code === 'NOT_FOUND' && this.admin
      ? `No account has the id “${this.userId}”. Ids are exact (case and spaces count). An admin read opens no account: `
        + 'one is opened by the user’s first request, a top-up or a grant.'
      : explain(error).summary;
    fill(this.main, this.main.querySelector('h1'), h('p', { class: 'problem', role: 'alert' }, words));
  }

  renderBalance() {
    const c = this.credit;
    const figure = (label, name, value) => h('div', { class: 'figure' }, h('dt', {}, label), h('dd', { 'data-figure': name }, value));
    const expiry = c.next_expiry_at === null
      ? h('span', { class: 'none' }, 'nothing expires')
      : [h('span', { class: 'amount' }, c.next_expiry_usdc), ' on ', time(c.next_expiry_at)];
    fill(this.balance, h('dl', { class: 'figures' },
      figure('Balance', 'balance_usdc', h('span', { class: 'amount big' }, c.balance_usdc)),
      figure('Available', 'available_usdc', h('span', { class: 'amount big' }, c.available_usdc)),
      figure('Held', 'held_usdc', h('span', { class: 'amount' }, c.held_usdc)),
      figure('Paid', 'paid_usdc', h('span', { class: 'amount' }, c.paid_usdc)),
      figure('Promotional', 'promotional_usdc', h('span', { class: 'amount' }, c.promotional_usdc)),
      figure('Next expiry', 'next_expiry', expiry),
      figure('Account opened', 'created_at', time(c.created_at)),
      figure('Last change', 'updated_at', time(c.updated_at))));
  }

  async loadLots(cursor = null) {
    try {
      const lots = (await call(listing(`${this.base}/lots`,
        { include: this.includeAllLots ? 'all' : null, limit: LOTS_PAGE, cursor }))).json;
      const rows = lots.data.map((lot) => ({
        attributes: { 'data-lot-id': lot.grant_id, 'data-status': lot.status },
        cells: [shortId(lot.grant_id), lot.category, String(lot.priority), amount(lot.original_usdc), amount(lot.remaining_usdc),
          amount(lot.reserved_usdc), time(lot.expires_at, 'never'), lot.status],
      }));
      const more = lots.next_cursor === null ? null
        : h('button', { type: 'button', onclick: () => this.loadLots(lots.next_cursor) }, 'Next lots');
      fill(this.lots, table('Lots', ['Lot', 'Category', 'Priority', 'Original', 'Remaining', 'Reserved', 'Expires', 'Status'],
        rows, this.includeAllLots ? 'No lots yet.' : 'No open lots: nothing left to spend.'), more);
    } catch (error) {
      fill(this.lots, problemLine(error));
    }
  }

  async loadHolds() {
    try {
      const holds = (await call(listing(`${this.base}/holds`, { status: 'active', limit: 200 }))).json;
      const rows = holds.data.map((hold) => ({
        attributes: { 'data-hold-id': hold.id },
        cells: [shortId(hold.id), amount(hold.amount_usdc), hold.reference ?? '—', time(hold.created_at), time(hold.expires_at),
          h('span', { 'data-expires': hold.expires_at }, timeLeft(hold.expires_at) ?? 'expired')],
      }));
      fill(this.holds, table('Active holds', ['Hold', 'Amount', 'Reference', 'Placed', 'Expires', 'Time left'], rows,
        'No active holds.'), holds.next_cursor === null ? null : h('p', { class: 'hint' }, 'Showing the newest 200 active holds.'));
    } catch (error) {
      fill(this.holds, problemLine(error));
    }
  }

  tick() {
    for (const left of this.main.querySelectorAll('[data-expires]')) {
      left.textContent = timeLeft(left.dataset.expires) ?? 'expired (reload to see it released)';
    }
  }

  async loadHistory() {
    const cursor = this.cursors[this.cursors.length - 1];
    try {
      const history = (await call(listing(`${this.base}/transactions`, { limit: HISTORY_PAGE, cursor }))).json;
      this.historyPage = history.data;
      this.nextCursor = history.next_cursor;
      await this.checkPage();
      this.renderHistory();
    } catch (error) {
      fill(this.history, problemLine(error));
    }
  }

  renderHistory() {
    const columns = ['When', 'Type', 'Amount', 'Balance after', 'Details', 'Drawn from', 'Hash'];
    if (this.admin) {
      columns.push('Action');
    }
    const rows = this.historyPage.map((entry) => {
      const verdict = this.pageVerdicts.get(entry.id);
      const cells = [time(entry.created_at),
        [h('span', { class: 'type' }, entry.type), ' ', h('span', { class: 'effect' }, EFFECT[entry.type] ?? '')],
        amount(entry.amount_usdc), amount(entry.balance_after_usdc), details(entry), drawnFrom(entry.drawn_from),
        verdict === undefined ? h('span', { class: 'none' }, 'checking…')
          : verdict ? h('span', { class: 'hash-ok' }, '✓ matches')
            : h('span', { class: 'hash-bad' }, '✗ does not match its hash')];
      if (this.admin) {
        cells.push(entry.type === 'deduction' ? h('button', {
          type: 'button', class: 'small', 'data-action': 'refund',
          'aria-label': `Refund deduction ${entry.id.slice(0, 8)} of ${entry.amount_usdc} USDC`,
          onclick: () => this.refund.open(entry),
        }, 'Refund…') : '');
      }
      return { attributes: { 'data-entry-id': entry.id, 'data-type': entry.type, class: verdict === false ? 'tampered' : null }, cells };
    });
    fill(this.history, table('History, newest first', columns, rows, 'No entries yet.'));
    const pageNumber = this.cursors.length;
    const newer = h('button', { type: 'button', disabled: pageNumber === 1, 'data-action': 'newer' }, '← Newer');
    newer.addEventListener('click', () => { this.cursors.pop(); this.loadHistory(); });
    const older = h('button', { type: 'button', disabled: this.nextCursor === null, 'data-action': 'older' }, 'Older →');
    older.addEventListener('click', () => { this.cursors.push(this.nextCursor); this.loadHistory(); });
    fill(this.historyNav, newer, h('span', { class: 'page' }, `Page ${pageNumber}`), older);
  }

  /** Walks the whole history (200 a page) and checks every link; the badge says what the browser found. */
  async checkChain() {
    this.setBadge('checking', 'Checking the hash chain in this browser…');
    try {
      const newestFirst = [];
      let cursor = null;
      let pages = 0;
      do {
        const page = (await call(listing(`${this.base}/transactions`, { limit: WALK_PAGE, cursor }))).json;
        newestFirst.push(...page.data);
        cursor = page.next_cursor;
        pages += 1;
      } while (cursor !== null && pages < WALK_PAGES && !this.stopped);
      const oldestFirst = newestFirst.reverse();
      const complete = cursor === null;
      this.walk = { oldestFirst, complete, index: new Map(oldestFirst.map((entry, i) => [entry.id, i])) };
      this.walk.result = await verifyChain(oldestFirst, complete);
      await this.checkPage();
      this.renderHistory();
      this.renderBadge();
    } catch (error) {
      this.setBadge('unchecked', `Hash chain not checked: ${explain(error).summary}`);
    }
  }

  /** Each entry on the page as it was served for the page, hashed over the walk's entry before it. */
  async checkPage() {
    this.pageVerdicts = new Map();
    if (this.walk === null) {
      return;
    }
    for (const entry of this.historyPage) {
      const at = this.walk.index.get(entry.id);
      if (at === undefined) {
        continue;
      }
      const previous = at > 0 ? this.walk.oldestFirst[at - 1].hash : (this.walk.complete ? FIRST_PREVIOUS : null);
      if (previous !== null) {
        this.pageVerdicts.set(entry.id, (await sha256Hex(chainText(previous, entry))) === entry.hash);
      }
    }
  }

  renderBadge() {
    const { result, complete } = this.walk;
    const pageBroken = [...this.pageVerdicts.values()].some((intact) => !intact);
    if (result.state === 'broken' || pageBroken) {
      const first = result.broken[0] ?? this.historyPage.find((entry) => this.pageVerdicts.get(entry.id) === false);
      const count = Math.max(result.broken.length, 1);
      this.setBadge('broken', [`✗ Hash chain broken: ${count} ${count === 1 ? 'entry' : 'entries'} as served ${count === 1 ? 'does' : 'do'} not match ${count === 1 ? 'its hash' : 'their hashes'}, first the ${first.type} `,
        h('code', {}, first.id), ' of ', time(first.created_at),
        '. Do not trust this history; have an operator run bin/credits reconcile.']);
    } else if (!complete) {
      this.setBadge('partial', `Hash chain partly checked: the newest ${result.checked} links match, but the history is longer than `
        + `the ${WALK_PAGE * WALK_PAGES} entries this page reads; bin/credits reconcile checks all of it.`);
    } else {
      const newest = result.newestHash;
      this.setBadge('intact', [`✓ Hash chain verified in this browser: all ${result.checked} ${result.checked === 1 ? 'entry matches its hash' : 'entries match their hashes'} (SHA-256, recomputed here)`,
        newest === null ? '.' : ['; newest hash ', h('code', { title: newest }, `${newest.slice(0, 12)}…`), '.']]);
    }
  }

  setBadge(state, content) {
    this.badge.dataset.state = state;
    this.badge.className = `badge badge-${state}`;
    fill(this.badge, content);
  }

  /** What the refund form needs to know: how much of {@code deduction} earlier refunds gave back (null: unknown). */
  refundedBefore(deduction) {
    if (this.walk === null || !this.walk.complete) {
      return null;
    }
    return this.walk.oldestFirst.filter((entry) => entry.type === 'refund' && entry.deduction_id === deduction.id)
      .map((entry) => entry.amount_usdc);
  }
}

function amount(text) {
  return h('span', { class: 'amount' }, text);
}

function details(entry) {
  const items = [];
  const add = (label, value) => {
    if (value !== null && value !== undefined && value !== '') {
      items.push(h('li', {}, h('span', { class: 'label' }, `${label} `), value));
    }
  };
  add('entry', shortId(entry.id));
  add('reference', entry.reference);
  add('reason', entry.reason);
  if (entry.type === 'grant' || entry.type === 'topup') {
    add('lot', `${entry.category}, priority ${entry.priority}`);
    add('expires', entry.expires_at === null ? 'never' : time(entry.expires_at));
  }
  add('payment', entry.payment_reference);
  add('memo', entry.memo);
  add('refund of', entry.deduction_id === null ? null : shortId(entry.deduction_id));
  add('hold', entry.hold_id === null ? null : shortId(entry.hold_id));
  if (entry.type === 'expiry') {
    add('lot', shortId(entry.grant_id));
  }
  return h('ul', { class: 'details' }, items);
}

function drawnFrom(draws) {
  if (draws.length === 0) {
    return h('span', { class: 'none' }, '—');
  }
  return h('ul', { class: 'details' }, draws.map((draw) => h('li', {}, shortId(draw.grant_id), ': ', amount(draw.amount_usdc))));
}

function problemLine(error) {
  return h('p', { class: 'problem', role: 'alert' }, explain(error).summary);
}
