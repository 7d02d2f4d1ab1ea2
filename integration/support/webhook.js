"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.webhookUrl = webhookUrl;
exports.sendWebhook = sendWebhook;
/** Sending webhooks to the site exactly as PulseTechnologyCRM does (see pulse-crm-api.md). */
const stack_1 = require("./stack");
function webhookUrl(action, extra = {}, key = (0, stack_1.stack)().accessKey) {
    const query = new URLSearchParams({
        wpf_action: action,
        access_key: key,
        ...extra,
    });
    return `${(0, stack_1.stack)().siteUrl}/?${query.toString()}`;
}
async function sendWebhook(action, contactId, form = 'form', extra = {}) {
    let url = webhookUrl(action, extra);
    const init = {
        method: 'POST',
        signal: AbortSignal.timeout(60000),
    };
    if (form === 'json') {
        init.headers = { 'content-type': 'application/json' };
        init.body = JSON.stringify({
            id: contactId,
            email: 'ignored@example.test',
            first_name: 'Ignored',
        });
    }
    else if (form === 'form') {
        init.headers = { 'content-type': 'application/x-www-form-urlencoded' };
        init.body = new URLSearchParams({
            contact_id: String(contactId),
        }).toString();
    }
    else {
        init.method = 'GET';
        url += `&contact_id=${contactId}`;
    }
    const started = performance.now();
    const response = await fetch(url, init);
    const text = await response.text();
    let body;
    try {
        body = JSON.parse(text);
    }
    catch {
        throw new Error(`webhook answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
    return {
        status: response.status,
        body,
        headers: response.headers,
        ms: performance.now() - started,
    };
}
//# sourceMappingURL=webhook.js.map