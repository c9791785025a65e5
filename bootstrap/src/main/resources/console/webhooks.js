// Webhook endpoints and their deliveries, failed ones first: what support looks at when a receiver
// says it heard nothing.

import { call, listing } from './api.js';
import { h, fill, time, shortId, table } from './dom.js';
import { explain } from './problems.js';

const ENDPOINTS = '/api/admin/billing/webhooks';
const DELIVERIES_PAGE = 50;
const STATUS_ORDER = { failed: 0, pending: 1, delivered: 2 };

export function renderWebhooks(main) {
  const list = h('div', {}, h('p', { class: 'loading' }, 'Loading the endpoints…'));
  fill(main, h('h1', { tabindex: '-1' }, 'Webhooks'),
    h('p', { class: 'lead' }, 'Endpoints that receive signed events, each with its newest deliveries: failed first, then pending, then delivered.'),
    list);
  main.querySelector('h1').focus();
  load(list);
  return () => {};
}

async function load(list) {
  let endpoints;
  try {
    endpoints = (await call(ENDPOINTS)).json.data;
  } catch (error) {
    fill(list, h('p', { class: 'problem', role: 'alert' }, explain(error).summary));
    return;
  }
  if (endpoints.length === 0) {
    fill(list, h('p', { class: 'empty' }, 'No webhook endpoints are registered.'));
    return;
  }
  const sections = await Promise.all(endpoints.map(async (endpoint) => {
    try {
      const page = (await call(listing(`${ENDPOINTS}/${encodeURIComponent(endpoint.id)}/deliveries`, { limit: DELIVERIES_PAGE }))).json;
      return { endpoint, deliveries: page.data, more: page.next_cursor !== null, error: null };
    } catch (error) {
      return { endpoint, deliveries: [], more: false, error };
    }
  }));
  // Endpoints with failures first, then by the API's order (oldest first).
  const failures = (section) => section.deliveries.filter((delivery) => delivery.status === 'failed').length;
  sections.sort((a, b) => (failures(b) > 0) - (failures(a) > 0));
  fill(list, sections.map((section, index) => endpointSection(section, index)));
}

function endpointSection({ endpoint, deliveries, more, error }, index) {
  const headingId = `endpoint-${index}`;
  const sorted = [...deliveries].sort((a, b) => (STATUS_ORDER[a.status] ?? 3) - (STATUS_ORDER[b.status] ?? 3));
  const counts = Object.keys(STATUS_ORDER).map((status) => `${deliveries.filter((d) => d.status === status).length} ${status}`).join(', ');
  const rows = sorted.map((delivery) => ({
    attributes: { 'data-status': delivery.status, 'data-event-id': delivery.event_id },
    cells: [h('span', { class: `status status-${delivery.status}` }, delivery.status), delivery.type, shortId(delivery.event_id),
      String(delivery.attempts), delivery.last_status_code === null ? h('span', { class: 'none' }, 'none') : String(delivery.last_status_code),
      time(delivery.next_attempt_at, 'none'), time(delivery.created_at)],
  }));
  return h('section', { class: 'endpoint', 'aria-labelledby': headingId, 'data-endpoint-id': endpoint.id },
    h('h2', { id: headingId }, endpoint.url),
    h('dl', { class: 'meta' },
      h('dt', {}, 'Id'), h('dd', {}, h('code', {}, endpoint.id)),
      h('dt', {}, 'Description'), h('dd', {}, endpoint.description ?? '—'),
      h('dt', {}, 'Events'), h('dd', {}, endpoint.events.join(', ')),
      h('dt', {}, 'Registered'), h('dd', {}, time(endpoint.created_at)),
      h('dt', {}, 'Deliveries'), h('dd', { 'data-counts': '' }, `${counts}${more ? ` (of the newest ${DELIVERIES_PAGE})` : ''}`)),
    error === null
      ? h('div', { class: 'table-box' }, table(`Deliveries to ${endpoint.url}`,
        ['Status', 'Event', 'Event id', 'Attempts', 'Last answer', 'Next attempt', 'Recorded'], rows, 'No deliveries yet.'))
      : h('p', { class: 'problem', role: 'alert' }, explain(error).summary));
}
