"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEMO_CLIENT = void 0;
exports.callBridge = callBridge;
exports.seedDemo = seedDemo;
/**
 * Demo data for `npm start` (and the starting point of the end-to-end tests): the site comes up
 * already connected to the CRM sandbox, with a field mapping, Return Password on, and sandbox
 * workflows that call the site's webhook URL, so a person can apply a tag in the sandbox and watch
 * a WordPress user appear without any setup.
 */
const standardwebhooks_1 = require("standardwebhooks");
const node_crypto_1 = __importDefault(require("node:crypto"));
const wordpress_site_1 = require("./wordpress-site");
exports.DEMO_CLIENT = { id: 'pulse-sync-demo', secret: 'demo-secret' };
async function json(url, init = {}) {
    const response = await fetch(url, {
        ...init,
        headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            ...(init.headers ?? {}),
        },
    });
    const text = await response.text();
    if (!response.ok) {
        throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${text.slice(0, 300)}`);
    }
    return text ? JSON.parse(text) : null;
}
/**
 * A signed call to the bridge, the way the plugin makes it.
 */
async function callBridge(info, method, route, body) {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const id = `msg_${node_crypto_1.default.randomBytes(16).toString('hex')}`;
    const timestamp = new Date();
    const signature = new standardwebhooks_1.Webhook(info.bridgeSecret).sign(id, timestamp, payload);
    return json(`${info.bridgeUrl}${route}`, {
        method,
        body: payload === '' ? undefined : payload,
        headers: {
            'webhook-id': id,
            'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
            'webhook-signature': signature,
        },
    });
}
function sameRule(a, b) {
    return (a.trigger === b.trigger &&
        a.tag_id === b.tag_id &&
        a.url === b.url &&
        a.format === b.format);
}
async function seedDemo(info) {
    (0, wordpress_site_1.runPhp)(info.wpDir, 'configure.php', {}, {
        settings: {
            crm_client_id: exports.DEMO_CLIENT.id,
            return_password_enabled: true,
            return_password_field: 'wp_password',
            field_mapping: [
                { wp: 'user_email', crm: 'email' },
                { wp: 'first_name', crm: 'first_name' },
                { wp: 'last_name', crm: 'last_name' },
                { wp: 'user_login', crm: 'custom_username' },
                { wp: 'billing_phone', crm: 'phone' },
            ],
        },
        options: { pulse_sync_crm_client_secret: exports.DEMO_CLIENT.secret },
    });
    // Connect the bridge as the owner would by clicking Connect and Authorize.
    const redirectUri = `${info.adminUrl}admin.php?page=pulse-sync&pulse_sync_oauth=callback`;
    const { code } = (await json(`${info.crmSandboxUrl}/__sandbox/oauth/code`, {
        method: 'POST',
        body: JSON.stringify({
            client_id: exports.DEMO_CLIENT.id,
            redirect_uri: redirectUri,
        }),
    }));
    await callBridge(info, 'POST', '/v1/crm/oauth/exchange', {
        code,
        redirect_uri: redirectUri,
    });
    // The CRM workflows of the product description, once: the sandbox keeps its rules across restarts.
    const hook = (action, extra = '') => `${info.siteUrl}/?wpf_action=${action}&access_key=${info.accessKey}${extra}`;
    const rules = [
        {
            trigger: 'tag_applied',
            tag_id: 1,
            url: hook('add', '&send_notification=true'),
            format: 'json',
        },
        {
            trigger: 'tag_applied',
            tag_id: 3,
            url: hook('update_tags'),
            format: 'form',
        },
        { trigger: 'contact_updated', url: hook('update'), format: 'get' },
    ];
    const { rules: existing } = (await json(`${info.crmSandboxUrl}/__sandbox/webhooks`));
    for (const rule of rules) {
        if (!existing.some((other) => sameRule(other, rule))) {
            await json(`${info.crmSandboxUrl}/__sandbox/webhooks`, {
                method: 'POST',
                body: JSON.stringify(rule),
            });
        }
    }
}
//# sourceMappingURL=seed.js.map