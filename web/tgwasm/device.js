// The device fields initConnection carries, derived from the browser (or
// Node): createClient's default for options.device.

import { VERSION } from './version.js';

/** The device fields initConnection carries, derived from the browser. */
export function browserDevice() {
  const nav = globalThis.navigator || {};
  const ua = String(nav.userAgent || '');
  let model = 'Browser';
  let m;
  if (typeof process === 'object' && process.versions && process.versions.node && !nav.userAgentData) model = `Node.js ${process.versions.node}`;
  else if ((m = /(Edg|OPR|Firefox|Chrome|Chromium)\/(\d+)/.exec(ua))) model = `${{ Edg: 'Edge', OPR: 'Opera' }[m[1]] || m[1]} ${m[2]}`;
  else if ((m = /Version\/(\d+).*Safari/.exec(ua))) model = `Safari ${m[1]}`;
  const system = (nav.userAgentData && nav.userAgentData.platform) || nav.platform ||
    (typeof process === 'object' && process.platform) || 'Web';
  const lang = String(nav.language || 'en');
  return {
    deviceModel: model,
    systemVersion: String(system),
    appVersion: `tgwasm ${VERSION}`,
    langCode: lang.split('-')[0].toLowerCase() || 'en',
    systemLangCode: lang,
    langPack: '',
  };
}
