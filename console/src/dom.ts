import { ApiError } from './api';

/** Children of an element: nodes, text (always set as text, never parsed as HTML), or nothing. */
export type Child = Node | string | number | null | undefined | false | Child[];
type Handler = (event: Event) => void;
export type Attrs = Record<string, string | number | boolean | null | undefined | Handler>;

function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

function apply(el: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, '');
    else if (value !== null && value !== undefined && value !== false) el.setAttribute(name, String(value));
  }
}

/** An HTML element: `h('button', { class: 'primary', onclick: go }, 'Go')`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  apply(el, attrs);
  append(el, children);
  return el;
}

/** An SVG element; presentation through attributes and classes only (the CSP refuses `style`). */
export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  apply(el, attrs);
  append(el, children);
  return el;
}

/** Replaces an element's content. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** An error, readably: the API's code and message, its HTTP status and the fields it names. */
export function problemBox(err: unknown, testid = 'error'): HTMLElement {
  const api = err instanceof ApiError ? err : null;
  const hint = api?.status === 0 ? 'Check that the service is running and reachable.' : null;
  return h(
    'div',
    { class: 'problem', role: 'alert', 'data-testid': testid },
    h('strong', { class: 'problem-code' }, api ? api.code : 'ERROR'),
    ' ',
    h('span', { class: 'problem-message' }, err instanceof Error ? err.message : String(err)),
    api && api.status > 0 ? h('span', { class: 'problem-status' }, ` (HTTP ${api.status})`) : null,
    api?.fields.length
      ? h('ul', {}, ...api.fields.map((f) => h('li', {}, h('code', {}, f.field), `: ${f.message}`)))
      : null,
    hint ? h('div', { class: 'problem-hint' }, hint) : null,
  );
}

export function emptyState(text: string, testid = 'empty'): HTMLElement {
  return h('p', { class: 'empty', 'data-testid': testid }, text);
}

export function loading(): HTMLElement {
  return h('p', { class: 'loading', 'data-testid': 'loading' }, 'Loading…');
}

/** A `<dl>` of label → value pairs. */
export function facts(pairs: [string, Child, string?][]): HTMLElement {
  return h(
    'dl',
    { class: 'facts' },
    ...pairs.flatMap(([label, value, testid]) => [
      h('dt', {}, label),
      h('dd', testid ? { 'data-testid': testid } : {}, value),
    ]),
  );
}
