"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * Nothing answered 2xx is lost: with the CRM down, with the bridge down (the plugin's spool),
 * and with the bridge killed in the middle of a burst.
 */
const sandbox_1 = require("./support/sandbox");
const stack_1 = require("./support/stack");
const bridge_1 = require("./support/bridge");
const webhook_1 = require("./support/webhook");
const wait_1 = require("../dev/src/wait");
/**
 * The plugin hands spooled deliveries over after a later webhook that reached the bridge (and on
 * WP-Cron). Keep webhooks coming, as the CRM would, until everything arrived. `update_tags` for a
 * contact without a user is answered `skipped` and changes nothing.
 */
async function untilProcessed(what, done, timeoutMs) {
    const [bystander] = await (0, sandbox_1.newContacts)(1);
    await (0, wait_1.waitUntil)(what, async () => {
        if (done()) {
            return true;
        }
        await (0, webhook_1.sendWebhook)('update_tags', bystander);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        return done();
    }, timeoutMs);
}
beforeAll(async () => {
    await (0, sandbox_1.removeWebhookRules)();
    await (0, sandbox_1.clearFaults)();
});
afterAll(async () => {
    await (0, sandbox_1.clearFaults)();
});
test('CRM down: the webhook is answered 202 and the user is created once the CRM is back', async () => {
    const [id] = await (0, sandbox_1.newContacts)(1);
    await (0, sandbox_1.control)('POST', 'faults', {
        path_pattern: '/api/v1/*',
        status: 500,
    });
    const answer = await (0, webhook_1.sendWebhook)('add', id);
    expect(answer.status).toBe(202);
    expect((0, stack_1.usersForContact)(id)).toHaveLength(0);
    await (0, sandbox_1.clearFaults)();
    await (0, bridge_1.waitForDelivery)(String(answer.body.delivery_id), ['done'], 120000);
    expect((0, stack_1.usersForContact)(id)).toHaveLength(1);
});
test('bridge down: deliveries are spooled by the plugin (202) and processed after it restarts', async () => {
    const ids = await (0, sandbox_1.newContacts)(3);
    await (0, bridge_1.killBridge)('SIGTERM');
    try {
        for (const id of ids) {
            const answer = await (0, webhook_1.sendWebhook)('add', id);
            expect(answer.status).toBe(202);
            expect(answer.body.success).toBe(true);
        }
        expect(ids.flatMap((id) => (0, stack_1.usersForContact)(id))).toHaveLength(0);
    }
    finally {
        await (0, bridge_1.startStackBridge)();
    }
    await untilProcessed('spooled deliveries to be processed', () => ids.every((id) => (0, stack_1.usersForContact)(id).length === 1), 60000);
}, 120000);
test('bridge killed mid-burst: every delivery answered 2xx ends with its user, none twice', async () => {
    const ids = await (0, sandbox_1.newContacts)(60);
    const answers = await Promise.all(ids.map(async (id, index) => {
        if (index === 20) {
            await (0, bridge_1.killBridge)('SIGKILL');
        }
        return { id, answer: await (0, webhook_1.sendWebhook)('add', id) };
    }));
    await (0, bridge_1.startStackBridge)();
    const acknowledged = answers
        .filter(({ answer }) => answer.status >= 200 && answer.status < 300)
        .map(({ id }) => id);
    expect(acknowledged.length).toBe(ids.length);
    await untilProcessed('every acknowledged delivery to be processed', () => acknowledged.every((id) => (0, stack_1.usersForContact)(id).length >= 1), 180000);
    for (const id of acknowledged) {
        expect((0, stack_1.usersForContact)(id)).toHaveLength(1);
    }
}, 240000);
//# sourceMappingURL=faults.test.js.map