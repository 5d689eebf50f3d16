// The account page: password change, API tokens (list, revoke) and the CLI login command.
import { get, post } from './api.js';
import { h, clear, form, table, when, title, section, button, copyButton, notify } from './dom.js';
import { t } from './i18n.js';
import { acceptable, ruleList } from './password.js';

export async function account(view) {
  const rule = ruleList('new-password-rule');
  const f = form({
    id: 'password-change',
    fields: [
      { name: 'currentPassword', label: 'account.currentPassword', type: 'password', autocomplete: 'current-password' },
      { name: 'newPassword', label: 'account.newPassword', type: 'password', autocomplete: 'new-password', hint: rule.list, oninput: (v) => rule.update(v) },
    ],
    submit: 'account.change',
    onSubmit: async (v, { showError, inputs }) => {
      if (!acceptable(v.newPassword)) {
        showError('newPassword', t('password.weak'));
        return;
      }
      await post('/users/me/password', { currentPassword: v.currentPassword, newPassword: v.newPassword });
      inputs.currentPassword.value = '';
      inputs.newPassword.value = '';
      rule.update('');
      notify(t('account.changed'));
    },
  });
  const cli = `ocean login --server ${location.origin} --email ${view.me.email}`;
  const tokens = h('div', { id: 'token-list' });
  const refresh = async () =>
    clear(tokens).append(
      table(
        [
          ['common.id', (k) => String(k.id)],
          ['account.kind', (k) => h('span', { class: 'token-kind', 'data-kind': k.kind, text: t(k.kind === 'session' ? 'account.kindSession' : 'account.kindApi') })],
          ['common.created', (k) => when(k.createdAt)],
          ['account.lastUsed', (k) => when(k.lastUsedAt)],
          ['tokens.expires', (k) => when(k.expiresAt)],
          ['account.current', (k) => (k.current ? t('account.thisSession') : '')],
          ['common.actions', (k) => (k.current ? '' : button('tokens.revoke', async () => (await post(`/tokens/${k.id}/revoke`), refresh()), 'small danger'))],
        ],
        await get('/tokens'),
      ),
    );
  view.main.append(
    title('account.title'),
    h('p', {}, `${view.me.email} · ${t(`role.${view.me.role}`)}`),
    section('account.cli', h('p', { class: 'muted', text: t('account.cliHint') }), h('div', { class: 'code-line' }, h('code', { id: 'cli-login', text: cli }), copyButton(cli))),
    section('account.password', f),
    section('account.tokens', h('p', { class: 'muted', text: t('account.tokensHint') }), tokens),
  );
  await refresh();
}
