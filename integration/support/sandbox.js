"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.control = control;
exports.newContacts = newContacts;
exports.contact = contact;
exports.clearFaults = clearFaults;
exports.crmApi = crmApi;
exports.removeWebhookRules = removeWebhookRules;
/** The CRM sandbox's control API (crm-sandbox/src/control/routes.ts), for arranging a test. */
const stack_1 = require("./stack");
async function control(method, route, body) {
    const response = await fetch(`${(0, stack_1.stack)().crmSandboxUrl}/__sandbox/${route}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
        throw new Error(`sandbox ${method} ${route} answered ${response.status}: ${text}`);
    }
    return (text ? JSON.parse(text) : null);
}
/**
 * New contacts that no earlier test has seen (unique prefix), returned with their ids.
 */
async function newContacts(count, tagIds = []) {
    const prefix = `t${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
    const { ids } = await control('POST', 'contacts/bulk', { count, prefix, tag_ids: tagIds });
    return ids;
}
async function contact(id) {
    return control('GET', `contacts/${id}`);
}
async function clearFaults() {
    await control('DELETE', 'faults');
    await control('POST', 'latency', { latency_ms: 0 });
}
let apiToken = null;
/**
 * The CRM's own API, used the way a CRM user's other integrations would (to apply a tag, edit a
 * field), with a token of its own obtained through the demo OAuth client.
 */
async function crmApi(method, path, form) {
    const base = (0, stack_1.stack)().crmSandboxUrl;
    if (!apiToken) {
        const redirectUri = 'http://127.0.0.1/integration-tests';
        const { code } = await control('POST', 'oauth/code', {
            client_id: 'pulse-sync-demo',
            redirect_uri: redirectUri,
        });
        const tokenResponse = await fetch(`${base}/oauth/token`, {
            method: 'POST',
            headers: {
                'content-type': 'application/x-www-form-urlencoded',
                accept: 'application/json',
            },
            body: new URLSearchParams({
                grant_type: 'authorization_code',
                code,
                client_id: 'pulse-sync-demo',
                client_secret: 'demo-secret',
                redirect_uri: redirectUri,
            }).toString(),
        });
        apiToken = (await tokenResponse.json()).access_token;
    }
    const response = await fetch(`${base}/api/v1/${path}`, {
        method,
        headers: {
            authorization: `Bearer ${apiToken}`,
            accept: 'application/json',
            'content-type': 'application/x-www-form-urlencoded',
        },
        body: form ? new URLSearchParams(form).toString() : undefined,
    });
    if (!response.ok) {
        throw new Error(`CRM API ${method} ${path} answered ${response.status}`);
    }
    return response.json();
}
/** Remove the demo workflows so that only what a test sends reaches the site. */
async function removeWebhookRules() {
    const listed = await control('GET', 'webhooks');
    const rules = Array.isArray(listed) ? listed : (listed.rules ?? []);
    for (const rule of rules) {
        await control('DELETE', `webhooks/${rule.id}`);
    }
}
//# sourceMappingURL=sandbox.js.map