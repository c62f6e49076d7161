// The browser smoke test: drives the real workbench (code-server in headless Chromium) the way a user would:
// open the pipeline, see the squiggle, the hover and the Problems panel, press Ctrl+. and apply a quick-fix.
// The harness (scripts/e2e/run.mjs) owns the server, the page and the step bookkeeping.

const STEP_TIMEOUT_MS = 60_000;

/** Thrown by a step whose feature is not implemented yet; reported as such, never as passed. */
export class NotYetAvailable extends Error {}

/** Waits until `locator` is visible, failing with `what` after the step deadline. */
async function visible(locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  } catch {
    throw new Error(`timed out after ${STEP_TIMEOUT_MS / 1000} s waiting for ${what}`);
  }
}

/** Waits for the element's CSS animations (the workbench fades widgets in) to finish, so a screenshot is crisp. */
async function settled(locator) {
  await locator.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));
}

/** Moves the mouse over the middle of an element (editor overlays would intercept Playwright's own hover). */
async function hoverCenter(page, locator) {
  const box = await locator.boundingBox();
  if (!box) throw new Error('the element has no position on screen');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
}

/**
 * Runs the smoke steps on a workbench page that has the fixture workspace open.
 * @param {import('playwright-core').Page} page
 * @param {{ step: (name: string, fn: () => Promise<string | void>) => Promise<boolean>, screenshot: (name: string) => Promise<string> }} io
 */
export async function smokeSteps(page, { step, screenshot }) {
  const editor = page.locator('.monaco-editor .view-lines');
  const opened = await step('the pipeline opens in the workbench', async () => {
    await visible(page.locator('.monaco-workbench'), 'the workbench');
    await visible(page.locator('.activitybar'), 'the activity bar');
    await page.keyboard.press('Control+P');
    await visible(page.locator('.quick-input-widget input'), 'quick open');
    await page.keyboard.type('.gitlab-ci.yml');
    await visible(page.locator('.quick-input-list .monaco-list-row'), 'a quick-open result');
    await page.keyboard.press('Enter');
    await visible(editor.filter({ hasText: 'DOCKER_TLS_CERTDIR' }), 'the pipeline text in the editor');
  });
  const squiggle = page.locator('.monaco-editor .squiggly-error');
  const problem = page.locator('.markers-panel .monaco-list-row').filter({ hasText: 'dind/' });
  const shown =
    opened &&
    (await step('the diagnostic shows as a squiggle and in the Problems panel', async () => {
      await visible(squiggle, 'an error squiggle in the editor');
      await page.keyboard.press('Control+Shift+M');
      await visible(problem, 'a dind/ problem in the Problems panel');
      await page.keyboard.press('Control+1');
      await page.keyboard.press('Control+Home');
      await hoverCenter(page, squiggle.first());
      const hover = page.locator('.monaco-hover').filter({ hasText: 'dind/' });
      await visible(hover, 'the diagnostic hover');
      await settled(hover.first());
      return `screenshot ${await screenshot('diagnostics.png')}`;
    }));
  if (shown) {
    await step('Ctrl+. on the diagnostic offers and applies a quick-fix', async () => {
      await page.keyboard.press('Escape');
      // Selecting the problem puts the cursor on the diagnostic's range, as a user would.
      await problem.first().dblclick({ position: { x: 80, y: 10 } });
      await visible(page.locator('.monaco-editor.focused'), 'the editor to take focus at the problem');
      await page.keyboard.press('Control+.');
      const menu = page.locator('.action-widget .monaco-list-row.action');
      const none = page.locator('.monaco-editor-overlaymessage').filter({ hasText: /no code actions/i });
      await visible(menu.or(none), 'the quick-fix menu or "No code actions available"');
      if (await none.isVisible()) throw new NotYetAvailable('Ctrl+. reports no code actions for this diagnostic');
      await settled(menu.first());
      const title = (await menu.first().innerText()).trim();
      const shot = await screenshot('quick-fix.png');
      const before = await editor.first().innerText();
      await page.keyboard.press('Enter');
      const deadline = Date.now() + STEP_TIMEOUT_MS;
      while ((await editor.first().innerText()) === before) {
        if (Date.now() > deadline) throw new Error(`applying "${title}" did not change the editor`);
        await page.waitForTimeout(100);
      }
      return `applied "${title}", screenshot ${shot}`;
    });
  }
}
