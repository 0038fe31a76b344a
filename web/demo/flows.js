// The demo's change-phone and verify-phone cards: send a code (with its
// settings), see what Telegram answered, resend, cancel, complete.

import { ConnectionError } from '../tgwasm/tgwasm.js';
import { showAccount } from './account.js';
import { NEXT_NAMES, describeError, describeSentCode, fmtDuration, rawJSON } from './format.js';
import { pollInbox } from './inbox.js';
import { $, b64ToBytes, busy, state } from './page.js';

export function setupFlow(card) {
  card.append($('#flow-template').content.cloneNode(true));
  const sendForm = $('form.send', card);
  const result = $('.result', card);
  const failure = $('.failure', card);
  const raw = $('details.raw', card);
  const countdown = $('.countdown', card);
  const resend = $('.resend', card);
  const cancel = $('.cancel', card);
  const complete = $('form.complete', card);
  const done = $('.done', card);
  let current = null; // { phoneNumber, sent }
  let timer = null;

  const stopTimer = () => { if (timer) clearInterval(timer); timer = null; };

  function fail(err) {
    const d = describeError(err);
    failure.hidden = false;
    $('.error-text', failure).textContent = d.text;
    $('.error-raw', failure).textContent = d.raw;
  }

  function show(sent, phoneNumber) {
    stopTimer();
    current = { phoneNumber, sent };
    failure.hidden = true;
    result.hidden = false;
    done.hidden = true;
    raw.hidden = false;
    $('pre', raw).textContent = rawJSON(sent);
    const isCode = sent.className === 'auth.SentCode';
    $('.readable', result).textContent = describeSentCode(sent);
    complete.hidden = !isCode;
    cancel.hidden = !isCode;
    resend.hidden = true;
    countdown.hidden = true;
    if (!isCode) return;
    const next = sent.nextType ? NEXT_NAMES[sent.nextType.className] || sent.nextType.className : null;
    if (sent.timeout !== undefined) {
      const until = Date.now() + sent.timeout * 1000;
      const tick = () => {
        const left = Math.ceil((until - Date.now()) / 1000);
        countdown.hidden = false;
        if (left > 0) {
          countdown.textContent = next ? `Next: ${next}, in ${fmtDuration(left)}` : `The code is valid for ${fmtDuration(left)}`;
          return;
        }
        stopTimer();
        countdown.textContent = next ? `Next: ${next}, available now` : 'The code has expired';
        resend.hidden = !next;
      };
      tick();
      timer = setInterval(tick, 1000);
    } else if (next) {
      countdown.hidden = false;
      countdown.textContent = `Next: ${next}`;
      resend.hidden = false;
    }
    queueMicrotask(() => $('.code', complete).focus());
  }

  sendForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!state.client) { fail(new ConnectionError('connect first')); return; }
    const settings = {};
    for (const box of card.querySelectorAll('[data-setting]')) if (box.checked) settings[box.dataset.setting] = true;
    const token = $('.token', card).value.trim();
    if (token) settings.token = token;
    const tokens = $('.logout-tokens', card).value.split('\n').map((s) => s.trim()).filter(Boolean);
    try {
      if (tokens.length) settings.logoutTokens = tokens.map(b64ToBytes);
    } catch {
      fail(new TypeError('logoutTokens must be base64, one per line'));
      return;
    }
    const phoneNumber = $('.phone', card).value;
    busy($('.send-button', card), async () => {
      try {
        show(await state.client[card.dataset.method]({ phoneNumber, settings }), phoneNumber);
        pollInbox();
      } catch (err) {
        stopTimer();
        result.hidden = true;
        raw.hidden = true;
        fail(err);
      }
    });
  });

  resend.addEventListener('click', () => busy(resend, async () => {
    try {
      show(await state.client.resendCode({ phoneNumber: current.phoneNumber, phoneCodeHash: current.sent.phoneCodeHash }), current.phoneNumber);
      pollInbox();
    } catch (err) { fail(err); }
  }));

  cancel.addEventListener('click', () => busy(cancel, async () => {
    try {
      await state.client.cancelCode({ phoneNumber: current.phoneNumber, phoneCodeHash: current.sent.phoneCodeHash });
      stopTimer();
      result.hidden = true;
      raw.hidden = true;
      current = null;
    } catch (err) { fail(err); }
  }));

  complete.addEventListener('submit', (ev) => {
    ev.preventDefault();
    busy($('.confirm', card), async () => {
      try {
        const out = await state.client[card.dataset.complete]({
          phoneNumber: current.phoneNumber,
          phoneCodeHash: current.sent.phoneCodeHash,
          phoneCode: $('.code', complete).value.trim(),
        });
        stopTimer();
        failure.hidden = true;
        complete.hidden = true;
        resend.hidden = true;
        cancel.hidden = true;
        countdown.hidden = true;
        done.hidden = false;
        if (card.dataset.complete === 'changePhone') {
          done.textContent = `Done: the account's number is now +${out.phone}`;
          showAccount(out);
        } else {
          done.textContent = 'Done: the number is verified for Telegram Passport';
        }
        $('pre', raw).textContent = rawJSON(out);
      } catch (err) { fail(err); }
    });
  });
}
