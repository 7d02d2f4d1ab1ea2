"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The panel renders in wp-admin: proves the build loads on this WordPress version's React
 * (17 on 6.1, 18 on 6.8) with no console errors.
 */
const test_1 = require("@playwright/test");
const stack_1 = require("../support/stack");
(0, test_1.test)('an administrator logs in and opens the Pulse Sync page', async ({ page, }) => {
    const errors = (0, stack_1.collectErrors)(page);
    await (0, stack_1.logIn)(page);
    await page.goto(`${(0, stack_1.stack)().adminUrl}admin.php?page=pulse-sync`);
    await (0, test_1.expect)(page
        .locator('#adminmenu')
        .getByRole('link', { name: 'Pulse Sync', exact: true })).toBeVisible();
    const panel = page.locator('#pulse-sync-admin');
    await (0, test_1.expect)(panel.getByRole('tab').first()).toBeVisible({
        timeout: 15000,
    });
    await page.screenshot({
        path: (0, stack_1.screenshotPath)('smoke'),
        fullPage: true,
    });
    (0, test_1.expect)(errors).toEqual([]);
});
//# sourceMappingURL=smoke.spec.js.map