// The password rule, the same as the server's (dev.ocean.common.validation.Rules.password): 8 to
// 200 characters with an upper-case letter, a lower-case letter, a digit and a special character.
import { h } from './dom.js';
import { t } from './i18n.js';

export function checks(p) {
  let upper = false;
  let lower = false;
  let digit = false;
  let special = false;
  for (const c of p) {
    if (/\p{Lu}/u.test(c)) upper = true;
    else if (/\p{Ll}/u.test(c)) lower = true;
    else if (/\p{Nd}/u.test(c)) digit = true;
    else if (!/\s/u.test(c)) special = true;
  }
  return [
    ['password.length', p.length >= 8 && p.length <= 200],
    ['password.upper', upper],
    ['password.lower', lower],
    ['password.digit', digit],
    ['password.special', special],
  ];
}

export function acceptable(p) {
  return checks(p).every(([, ok]) => ok);
}

/** The rule as a list whose items tick as the user types; update(value) refreshes it. */
export function ruleList(id) {
  const list = h('ul', { class: 'rule', id, 'aria-live': 'polite' });
  const update = (value) => {
    list.replaceChildren(
      ...checks(value).map(([key, ok]) => h('li', { class: ok ? 'ok' : 'todo', 'data-ok': String(ok) }, ok ? '✓ ' : '• ', t(key))),
    );
  };
  update('');
  return { list, update };
}
