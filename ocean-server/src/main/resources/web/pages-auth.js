// Log in and sign up. Login makes a browser session (HttpOnly cookie) through POST /api/v1/session.
import { post } from './api.js';
import { h, form } from './dom.js';
import { t } from './i18n.js';
import { acceptable, ruleList } from './password.js';

export function login(view) {
  const f = form({
    id: 'login',
    fields: [
      { name: 'email', label: 'auth.email', type: 'email', autocomplete: 'username', required: true },
      { name: 'password', label: 'auth.password', type: 'password', autocomplete: 'current-password', required: true },
    ],
    submit: 'auth.login',
    onSubmit: async (v) => {
      await post('/session', { email: v.email.trim(), password: v.password });
      await view.signedIn();
    },
  });
  view.main.append(
    h('div', { class: 'narrow card' }, h('h1', { text: t('auth.loginTitle') }), f, h('p', {}, t('auth.noAccount'), ' ', h('a', { href: '#/signup', id: 'to-signup', text: t('auth.signup') }))),
  );
  f.inputs.email.focus();
}

export function signup(view) {
  const rule = ruleList('password-rule');
  const done = h('div', { id: 'signup-done', role: 'status' });
  const f = form({
    id: 'signup',
    fields: [
      { name: 'email', label: 'auth.email', type: 'email', autocomplete: 'username', required: true },
      {
        name: 'password',
        label: 'auth.password',
        type: 'password',
        autocomplete: 'new-password',
        required: true,
        hint: rule.list,
        oninput: (value) => rule.update(value),
      },
    ],
    submit: 'auth.signup',
    onSubmit: async (v, { showError }) => {
      if (!acceptable(v.password)) {
        showError('password', t('password.weak'));
        return;
      }
      const email = v.email.trim();
      const user = await post('/auth/signup', { email, password: v.password });
      if (user.status !== 'active') {
        done.textContent = t('auth.pendingActivation');
        return;
      }
      await post('/session', { email, password: v.password });
      await view.signedIn();
    },
  });
  view.main.append(
    h('div', { class: 'narrow card' }, h('h1', { text: t('auth.signupTitle') }), f, done, h('p', {}, t('auth.haveAccount'), ' ', h('a', { href: '#/login', id: 'to-login', text: t('auth.login') }))),
  );
  f.inputs.email.focus();
}
