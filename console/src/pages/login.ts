import { ApiError, login } from '../api';
import { fill, h, problemBox } from '../dom';

/**
 * Sign-in: email and password; while the password is the one-time one from `operators:create`, the API asks
 * for a new one (403 PASSWORD_CHANGE_REQUIRED) and the form shows a field for it.
 */
export function renderLogin(app: HTMLElement, notice: string | null): void {
  const email = h('input', {
    type: 'email',
    name: 'email',
    required: true,
    autocomplete: 'username',
    'data-testid': 'login-email',
  });
  const password = h('input', {
    type: 'password',
    name: 'password',
    required: true,
    autocomplete: 'current-password',
    'data-testid': 'login-password',
  });
  const newPassword = h('input', {
    type: 'password',
    name: 'newPassword',
    autocomplete: 'new-password',
    minlength: 8,
    'data-testid': 'login-new-password',
  });
  const newPasswordRow = h(
    'label',
    { class: 'field', hidden: true, 'data-testid': 'login-new-password-row' },
    'New password',
    newPassword,
    h('small', {}, 'Your password is the one-time one: choose your own (a long phrase is best).'),
  );
  const status = h('div', { class: 'login-status', 'aria-live': 'polite' });
  if (notice) fill(status, h('p', { class: 'notice', 'data-testid': 'login-notice' }, notice));
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'login-submit' }, 'Sign in');

  const form = h(
    'form',
    {
      class: 'card login',
      'data-testid': 'login-form',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        submit.disabled = true;
        fill(status);
        try {
          await login(
            email.value.trim(),
            password.value,
            newPasswordRow.hidden ? undefined : newPassword.value,
          );
          location.hash = '#/fleet';
        } catch (err) {
          if (err instanceof ApiError && err.code === 'PASSWORD_CHANGE_REQUIRED') {
            newPasswordRow.hidden = false;
            newPassword.required = true;
            newPassword.focus();
          }
          fill(status, problemBox(err, 'login-error'));
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h1', {}, 'Tenantry operators'),
    h('label', { class: 'field' }, 'Email', email),
    h('label', { class: 'field' }, 'Password', password),
    newPasswordRow,
    submit,
    status,
  );
  app.replaceChildren(h('main', { class: 'login-page', 'data-testid': 'login-page' }, form));
  email.focus();
}
