// The local DC's inbox: the codes it "sent" (GET testdc/codes).

import { $, state } from './page.js';

export async function pollInbox() {
  if ($('#server').value !== 'local' || !state.localConfig) return;
  try {
    const codes = await (await fetch('testdc/codes', { cache: 'no-store' })).json();
    const list = $('#inbox');
    list.replaceChildren(...(codes.length ? codes.slice(-8).reverse().map((c) => {
      const li = document.createElement('li');
      const code = document.createElement('span');
      code.className = 'code';
      code.textContent = c.code;
      li.append(code, ` for +${c.phone} · ${c.purpose} · ${c.delivery}`);
      return li;
    }) : [Object.assign(document.createElement('li'), { className: 'muted', textContent: 'none yet' })]));
  } catch { /* the DC is gone; try again later */ }
}
