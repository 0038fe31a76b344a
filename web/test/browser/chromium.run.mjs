// Browser end-to-end tests in headless Chromium against the dev server
// (dist/ + the local DC on one origin): one server and one browser for
// every *.e2e.mjs file here.
//
//   node web/test/browser/chromium.run.mjs   (dist/ must be built; TGWASM_TEST=substring filters)
import { startServer } from '../helpers/server.mjs';
import { launchBrowser } from '../helpers/chromium.mjs';
import { runTests, screenshotPath } from '../helpers/runner.mjs';
import './api.e2e.mjs';
import './demo.e2e.mjs';
import './gramjs.e2e.mjs';
import './reliability.e2e.mjs';
import './network.e2e.mjs';
import './tabs.e2e.mjs';
import './loading.e2e.mjs';

runTests(async () => {
  const server = await startServer();
  const browser = await launchBrowser();
  return {
    server,
    browser,
    screenshot: screenshotPath,
    teardown: async () => {
      await browser.close();
      await server.stop();
    },
  };
});
