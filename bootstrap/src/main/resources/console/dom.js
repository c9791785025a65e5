// Building the page from nodes, never from HTML text: every text from the API goes in as a text node, so no served
// value can become markup, and no inline style or script exists for the CSP to refuse.

/**
 * h('button', {type: 'button', onclick: go, 'aria-label': 'Refund'}, 'Refund…'): an element with
 * attributes, listeners (on…) and children (strings, nodes, arrays; null and false are skipped).
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      element.className = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(element, child);
    } else {
      element.append(child instanceof Node ? child : String(child));
    }
  }
}

/** Replaces what {@code element} holds. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

const LOCAL = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** An API instant in the browser's zone, with the API's own UTC text on hover; {@code none} when null. */
export function time(iso, none = '—') {
  if (iso === null || iso === undefined) {
    return h('span', { class: 'none' }, none);
  }
  return h('time', { datetime: iso, title: `${iso} (UTC)` }, LOCAL.format(new Date(iso)));
}

export function zoneName() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'local time';
}

/** How long until {@code iso}, in words: "4 min 12 s", "2 h 5 min", "3 d 4 h"; null once it has passed. */
export function timeLeft(iso, now = Date.now()) {
  const seconds = Math.floor((Date.parse(iso) - now) / 1000);
  if (seconds <= 0) {
    return null;
  }
  const units = [['d', 86400], ['h', 3600], ['min', 60], ['s', 1]];
  const first = units.findIndex(([, size]) => seconds >= size);
  const [name, size] = units[first];
  const parts = [`${Math.floor(seconds / size)} ${name}`];
  if (first + 1 < units.length) {
    const [nextName, nextSize] = units[first + 1];
    parts.push(`${Math.floor((seconds % size) / nextSize)} ${nextName}`);
  }
  return parts.join(' ');
}

/** An id short enough for a table, the whole of it on hover and for screen readers. */
export function shortId(id) {
  if (id === null || id === undefined) {
    return h('span', { class: 'none' }, '—');
  }
  return h('code', { class: 'id', title: id }, id.length > 8 ? h('span', { 'aria-hidden': 'true' }, `${id.slice(0, 8)}…`) : id,
    id.length > 8 ? h('span', { class: 'visually-hidden' }, id) : null);
}

/** A table whose rows become labelled cards on narrow screens (each cell carries its column's name). */
export function table(caption, columns, rows, empty) {
  if (rows.length === 0) {
    return h('p', { class: 'empty' }, empty);
  }
  return h('table', {},
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col' }, column)))),
    h('tbody', {}, rows.map((row) => h('tr', row.attributes ?? {},
      row.cells.map((cell, index) => h('td', { 'data-label': columns[index] },
        // One child per cell: on narrow screens the cell is a grid of its label and this.
        cell === '' ? null : h('div', {}, cell)))))));
}

/** Says {@code text} to screen readers through the page's polite live region. */
export function announce(text) {
  const region = document.getElementById('announce');
  region.textContent = '';
  // A fresh text in a later task is announced even when it equals the previous one.
  setTimeout(() => { region.textContent = text; }, 50);
}
