// Small DOM helpers. User data only ever goes in through textContent and attributes, never
// innerHTML, so nothing a user typed can become markup.
import { t, language } from './i18n.js';

// Characters that show text in another order than it is (U+202E makes "evil\u202Etxt.pub" read
// "evilbup.txt") or print as nothing: shown as escapes such as \u202e, as the CLI shows them.
// The zero-width joiners stay (emoji sequences, Persian words).
const INVISIBLE = /(?![\u200c\u200d])[\p{Cf}\u2028\u2029\u115f\u1160\u3164\uffa0]/gu;

export function visible(s) {
  return String(s).replace(INVISIBLE, (c) => {
    const cp = c.codePointAt(0);
    return cp > 0xffff ? '\\U' + cp.toString(16).padStart(8, '0') : '\\u' + cp.toString(16).padStart(4, '0');
  });
}

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'text') el.textContent = visible(v);
    else if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(visible(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** A time in the browser's zone and language; '-' when absent. */
export function when(iso) {
  if (!iso) return '-';
  return new Date(iso).toLocaleString(language() === 'ko' ? 'ko-KR' : undefined);
}

export function bytes(n) {
  if (n === null || n === undefined) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

/** A state as a coloured badge with its translated name. */
export function badge(state) {
  return h('span', { class: `badge badge-${state}`, 'data-state': state, text: t(`state.${state}`) });
}

export function title(key, ...extra) {
  return h('h1', {}, t(key), ...extra);
}

export function section(key, ...children) {
  return h('section', { class: 'card' }, h('h2', { text: t(key) }), ...children);
}

/** A button that copies text and says so. */
export function copyButton(text, id) {
  const b = h('button', { type: 'button', class: 'small', id, text: t('common.copy') });
  b.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      b.textContent = t('common.copied');
    } catch {
      b.textContent = t('common.copyFailed');
    }
    setTimeout(() => (b.textContent = t('common.copy')), 2000);
  });
  return b;
}

export function button(key, onClick, cls = 'small', id) {
  const b = h('button', { type: 'button', class: cls, id, text: t(key) });
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      await onClick();
    } catch (e) {
      notify(e.message, true);
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

/** A message at the bottom right of the page (clear of the header) that goes away by itself. */
export function notify(message, error = false) {
  const box = document.getElementById('notices') || document.body.appendChild(h('div', { id: 'notices', 'aria-live': 'polite' }));
  const n = h('div', { class: error ? 'notice error' : 'notice', role: error ? 'alert' : 'status', text: message });
  box.append(n);
  setTimeout(() => n.remove(), error ? 8000 : 4000);
}

/**
 * A table: columns are [labelKey, row => string|Node, className?]; an empty list shows emptyKey.
 */
export function table(columns, rows, emptyKey = 'common.empty', id) {
  if (!rows || rows.length === 0) return h('p', { class: 'empty', id, text: t(emptyKey) });
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { id },
      h('thead', {}, h('tr', {}, columns.map(([label, , cls]) => h('th', { class: cls, text: t(label) })))),
      h(
        'tbody',
        {},
        rows.map((r) => h('tr', {}, columns.map(([label, value, cls]) => h('td', { class: cls, 'data-label': t(label) }, value(r) ?? '-')))),
      ),
    ),
  );
}

/**
 * A form whose fields carry the API's field names, so a problem+json naming a field is shown
 * under that field. fields: {name, label, type, options: [[value, text]], value, required,
 * hint, min, max, placeholder, oninput}.
 */
export function form(spec) {
  const id = spec.id;
  const errors = {};
  const inputs = {};
  const formError = h('div', { class: 'form-error', id: `${id}-error`, role: 'alert' });
  const el = h('form', { class: 'form', id, novalidate: true });
  for (const f of spec.fields) {
    const fid = `${id}-${f.name}`;
    let input;
    if (f.type === 'select') {
      input = h('select', { id: fid, name: f.name }, (f.options || []).map(([v, text]) => h('option', { value: v, text })));
      if (f.value !== undefined) input.value = f.value;
    } else if (f.type === 'textarea') {
      input = h('textarea', { id: fid, name: f.name, rows: 3, placeholder: f.placeholder, value: f.value });
    } else {
      input = h('input', {
        id: fid,
        name: f.name,
        type: f.type || 'text',
        value: f.value,
        min: f.min,
        max: f.max,
        placeholder: f.placeholder,
        autocomplete: f.autocomplete,
        required: f.required,
      });
    }
    if (f.oninput) input.addEventListener('input', () => f.oninput(input.value, input));
    inputs[f.name] = input;
    errors[f.name] = h('div', { class: 'field-error', id: `${fid}-error`, 'aria-live': 'polite' });
    input.setAttribute('aria-describedby', `${fid}-error`);
    el.append(h('div', { class: 'field' }, h('label', { for: fid, text: t(f.label) }), input, f.hint || null, errors[f.name]));
  }
  const submit = h('button', { type: 'submit', id: `${id}-submit`, text: t(spec.submit) });
  el.append(h('div', { class: 'actions' }, submit), formError);
  const showError = (field, message) => {
    const target = field && errors[field] ? errors[field] : formError;
    target.textContent = message;
    if (field && inputs[field]) inputs[field].setAttribute('aria-invalid', 'true');
  };
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    Object.values(errors).forEach((x) => (x.textContent = ''));
    Object.values(inputs).forEach((x) => x.removeAttribute('aria-invalid'));
    formError.textContent = '';
    const values = {};
    for (const [name, input] of Object.entries(inputs)) values[name] = input.value;
    submit.disabled = true;
    try {
      await spec.onSubmit(values, { showError, inputs });
    } catch (err) {
      const field = err.field && spec.fieldMap ? spec.fieldMap[err.field] || err.field : err.field;
      showError(field, err.message);
    } finally {
      submit.disabled = false;
    }
  });
  el.inputs = inputs;
  el.showError = showError;
  return el;
}

/** Options of a select from a list, with an optional empty first choice. */
export function options(list, value, text, emptyKey) {
  const out = list.map((x) => [value(x), text ? text(x) : value(x)]);
  return emptyKey ? [['', t(emptyKey)], ...out] : out;
}

export function num(v) {
  return v === '' || v === undefined || v === null ? null : Number(v);
}
