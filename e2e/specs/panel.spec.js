"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The site owner's whole journey through the panel, in Chromium on the real stack: connect the
 * CRM through the sandbox's consent page, choose the Return Password field, build and copy a
 * webhook URL, send a test webhook, let a CRM workflow create a user, find it in the delivery log
 * and under Users, then make a delivery fail, read why, fix it and replay it. A screenshot of
 * every screen is saved under e2e/screenshots/.
 */
const test_1 = require("@playwright/test");
const sandbox_1 = require("../../integration/support/sandbox");
const stack_1 = require("../support/stack");
test_1.test.describe.configure({ mode: 'serial' });
const panelUrl = (screen) => `${(0, stack_1.stack)().adminUrl}admin.php?page=pulse-sync#/${screen}`;
async function openScreen(page, screen, tab) {
    await page.goto(panelUrl(screen));
    await (0, test_1.expect)(page.getByRole('tab', { name: tab, exact: true })).toHaveAttribute('aria-selected', 'true');
}
let errors = [];
test_1.test.beforeEach(async ({ page, context }) => {
    errors = (0, stack_1.collectErrors)(page);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: (0, stack_1.stack)().siteUrl,
    });
    await (0, stack_1.logIn)(page);
});
test_1.test.afterEach(() => {
    // A REST error the panel shows as a notice is fine; an uncaught script error is not.
    (0, test_1.expect)(errors.filter((error) => !error.includes('Failed to load resource'))).toEqual([]);
});
(0, test_1.test)('connect the CRM through its consent page', async ({ page }) => {
    await openScreen(page, 'crm', 'CRM connection');
    const disconnect = page.getByRole('button', { name: 'Disconnect' });
    if (await disconnect.isVisible()) {
        await disconnect.click();
        await (0, test_1.expect)(page.getByText('Disconnected from the CRM.').first()).toBeVisible();
    }
    await page.getByRole('button', { name: /^(Connect|Reconnect)$/ }).click();
    await page.waitForURL(/\/oauth\/authorize/);
    await page.screenshot({ path: (0, stack_1.screenshotPath)('crm-consent') });
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.waitForURL(/page=pulse-sync/);
    await openScreen(page, 'crm', 'CRM connection');
    await (0, test_1.expect)(page.getByRole('button', { name: 'Disconnect' })).toBeVisible({ timeout: 15000 });
    await page.screenshot({
        path: (0, stack_1.screenshotPath)('crm-connection'),
        fullPage: true,
    });
});
(0, test_1.test)('choose the Return Password field; it is still chosen after a reload', async ({ page, }) => {
    await openScreen(page, 'return-password', 'Return Password');
    const enabled = page.getByRole('checkbox').first();
    await enabled.check();
    const field = page.getByRole('combobox').first();
    await (0, test_1.expect)(field
        .locator('option', { hasText: 'wp_password' })
        .or(field.locator('option[value="wp_password"]'))).toHaveCount(1, { timeout: 15000 });
    await field.selectOption('wp_password');
    await page.getByRole('button', { name: 'Save' }).click();
    await (0, test_1.expect)(page.locator('.components-notice.is-success')).toBeVisible();
    await page.reload();
    await (0, test_1.expect)(page.getByRole('checkbox').first()).toBeChecked();
    await (0, test_1.expect)(page.getByRole('combobox').first()).toHaveValue('wp_password');
    await page.screenshot({
        path: (0, stack_1.screenshotPath)('return-password'),
        fullPage: true,
    });
});
(0, test_1.test)('build a webhook URL, copy it, and send a test webhook', async ({ page, }) => {
    await openScreen(page, 'webhooks', 'Webhooks');
    await page
        .getByLabel('Action', { exact: true })
        .selectOption('update_tags');
    const url = page.getByLabel('Webhook URL', { exact: true });
    await (0, test_1.expect)(url).toHaveValue(new RegExp(`wpf_action=update_tags&access_key=${(0, stack_1.stack)().accessKey}`));
    await page.getByRole('button', { name: 'Copy webhook URL' }).click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    (0, test_1.expect)(copied).toBe(await url.inputValue());
    await page.getByRole('button', { name: 'Send test webhook' }).click();
    await (0, test_1.expect)(page.getByText('HTTP status: 200')).toBeVisible({
        timeout: 15000,
    });
    await page.screenshot({
        path: (0, stack_1.screenshotPath)('webhooks'),
        fullPage: true,
    });
});
(0, test_1.test)('a CRM workflow creates a user, seen in the delivery log and under Users', async ({ page, }) => {
    const [id] = await (0, sandbox_1.newContacts)(1);
    const email = String((await (0, sandbox_1.contact)(id)).email);
    const url = `${(0, stack_1.stack)().siteUrl}/?wpf_action=add&access_key=${(0, stack_1.stack)().accessKey}`;
    const rule = await (0, sandbox_1.control)('POST', 'webhooks', {
        trigger: 'tag_applied',
        tag_id: 1,
        url,
        format: 'json',
    });
    try {
        // The owner applies the tag in the CRM's own interface.
        await page.goto(`${(0, stack_1.stack)().crmSandboxUrl}/crm/contact/${id}/edit`);
        await page
            .getByLabel('Tag to apply')
            .selectOption({ label: 'Website Access' });
        await page.getByRole('button', { name: 'Apply tag' }).click();
        await page.screenshot({
            path: (0, stack_1.screenshotPath)('crm-sandbox-contact'),
            fullPage: true,
        });
        await openScreen(page, 'deliveries', 'Delivery log');
        await page.getByLabel('Contact ID or email').fill(String(id));
        const row = page.locator('tr', { hasText: email }).or(page.locator('tr', {
            has: page.getByRole('link', {
                name: String(id),
                exact: true,
            }),
        }));
        await (0, test_1.expect)(row.first()).toBeVisible({ timeout: 30000 });
        await (0, test_1.expect)(row.first()).toContainText(/done/i, {
            timeout: 30000,
        });
        await page.screenshot({
            path: (0, stack_1.screenshotPath)('delivery-log'),
            fullPage: true,
        });
    }
    finally {
        await (0, sandbox_1.control)('DELETE', `webhooks/${rule.id}`);
    }
    await page.goto(`${(0, stack_1.stack)().adminUrl}users.php?s=${encodeURIComponent(email)}`);
    await (0, test_1.expect)(page.locator('#the-list')).toContainText(email);
});
(0, test_1.test)('a failing delivery shows why, and Replay completes it once fixed', async ({ page, }) => {
    const [id] = await (0, sandbox_1.newContacts)(1);
    // A permanent CRM error (422) fails the delivery at once, with the CRM's message.
    await (0, sandbox_1.control)('POST', 'faults', {
        path_pattern: `/api/v1/contacts/${id}/tags`,
        status: 422,
    });
    try {
        const answer = await fetch(`${(0, stack_1.stack)().siteUrl}/?wpf_action=add&access_key=${(0, stack_1.stack)().accessKey}&contact_id=${id}`);
        (0, test_1.expect)(answer.status).toBeGreaterThanOrEqual(400);
    }
    finally {
        await (0, sandbox_1.control)('DELETE', 'faults');
    }
    await openScreen(page, 'deliveries', 'Delivery log');
    await page.getByLabel('Contact ID or email').fill(String(id));
    const row = page
        .locator('tbody tr')
        .filter({ hasText: /failed/i })
        .first();
    await (0, test_1.expect)(row).toBeVisible({ timeout: 30000 });
    await row.getByRole('button', { name: 'Details' }).click();
    const dialog = page.getByRole('dialog');
    await (0, test_1.expect)(dialog).toContainText(/422|error/i);
    await page.screenshot({
        path: (0, stack_1.screenshotPath)('delivery-detail'),
        fullPage: true,
    });
    await dialog.getByRole('button', { name: 'Replay' }).click();
    await (0, test_1.expect)(page.getByText('The delivery was queued again.').first()).toBeVisible();
    await (0, test_1.expect)(page.locator('tbody tr').filter({ hasText: /done/i }).first()).toBeVisible({ timeout: 30000 });
});
(0, test_1.test)('every screen renders (screenshots)', async ({ page }) => {
    const screens = [
        ['webhooks', 'Webhooks'],
        ['return-password', 'Return Password'],
        ['crm', 'CRM connection'],
        ['import', 'Import settings'],
        ['mapping', 'Field mapping'],
        ['status', 'Status'],
        ['deliveries', 'Delivery log'],
    ];
    for (const [screen, tab] of screens) {
        await openScreen(page, screen, tab);
        await (0, test_1.expect)(page.locator('#pulse-sync-admin .components-spinner')).toHaveCount(0, { timeout: 15000 });
        await page.screenshot({
            path: (0, stack_1.screenshotPath)(`screen-${screen}`),
            fullPage: true,
        });
    }
});
//# sourceMappingURL=panel.spec.js.map