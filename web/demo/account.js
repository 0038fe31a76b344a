// The demo's account panel: who is logged in, and the login (number,
// code, 2FA password).

import { RPCError } from '../tgwasm/tgwasm.js';
import { describeSentCode } from './format.js';
import { pollInbox } from './inbox.js';
import { $, busy, showError, state } from './page.js';

let loginState = {};

export function showAccount(me) {
  $('#account-idle').hidden = Boolean(state.client);
  $('#me').hidden = !me;
  $('#login').hidden = !state.client || Boolean(me);
  if (me) {
    const name = [me.firstName, me.lastName].filter(Boolean).join(' ') || me.username || 'Telegram user';
    $('#me-name').textContent = name;
    $('#me-avatar').textContent = name[0].toUpperCase();
    $('#me-sub').textContent = [me.phone ? `+${me.phone}` : null, me.username ? `@${me.username}` : null, `id ${me.id}`].filter(Boolean).join(' · ');
  }
}

export async function refreshAccount() {
  if (!state.client) return;
  try {
    showAccount(await state.client.getMe());
  } catch (err) {
    if (err instanceof RPCError && err.code === 401) {
      loginStep('phone');
      showAccount(null);
    } else {
      showAccount(null);
      showError($('#login-error'), err);
    }
  }
}

export function loginStep(step) {
  $('#login-phone-step').hidden = step !== 'phone';
  $('#login-code-step').hidden = step !== 'code';
  $('#login-password-step').hidden = step !== 'password';
  $('#login-error').hidden = true;
  loginState.step = step;
  const focus = { phone: '#login-phone', code: '#login-code', password: '#login-password' }[step];
  queueMicrotask(() => $(focus).focus());
}

export async function onLogin(ev) {
  ev.preventDefault();
  $('#login-error').hidden = true;
  try {
    if (loginState.step === 'phone') {
      await busy($('#login-send'), async () => {
        const phoneNumber = $('#login-phone').value;
        const sent = await state.client.sendCode({ phoneNumber });
        if (sent.className === 'auth.SentCodeSuccess') { await refreshAccount(); return; }
        loginState.phoneNumber = phoneNumber;
        loginState.hash = sent.phoneCodeHash;
        $('#login-sent').textContent = describeSentCode(sent);
        pollInbox();
        loginStep('code');
      });
    } else if (loginState.step === 'code') {
      await busy($('#login-signin'), async () => {
        try {
          await state.client.signIn({ phoneNumber: loginState.phoneNumber, phoneCodeHash: loginState.hash, phoneCode: $('#login-code').value.trim() });
          await refreshAccount();
        } catch (err) {
          if (err instanceof RPCError && err.errorMessage === 'SESSION_PASSWORD_NEEDED') { loginStep('password'); return; }
          throw err;
        }
      });
    } else if (loginState.step === 'password') {
      await busy($('#login-check'), async () => {
        await state.client.checkPassword({ password: $('#login-password').value });
        $('#login-password').value = '';
        await refreshAccount();
      });
    }
  } catch (err) {
    showError($('#login-error'), err);
  }
}
