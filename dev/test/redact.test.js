"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/** No secret from a URL survives into a log line. */
const redact_1 = require("../src/redact");
test('the access key in a php -S request line is redacted, the rest kept', () => {
    const line = '[Sat Nov 28 20:31:54 2026] 127.0.0.1:50012 [200]: GET /?wpf_action=add&access_key=08431f74b6368185e28c5a4531ce4e58&contact_id=1';
    const redacted = (0, redact_1.redactLine)(line);
    expect(redacted).not.toContain('08431f74b6368185e28c5a4531ce4e58');
    expect(redacted).toContain('wpf_action=add&access_key=[redacted]&contact_id=1');
});
test('OAuth codes, secrets and passwords are redacted too', () => {
    const redacted = (0, redact_1.redactLine)('GET /admin.php?page=pulse-sync&code=abc123&state=s1 client_secret=xyz pwd=hunter2');
    expect(redacted).toBe('GET /admin.php?page=pulse-sync&code=[redacted]&state=s1 client_secret=[redacted] pwd=[redacted]');
});
//# sourceMappingURL=redact.test.js.map