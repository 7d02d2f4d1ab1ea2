"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.redactLine = redactLine;
/**
 * Secrets that may appear in a line a service prints: the webhook access key travels in the
 * query string, so php -S's request log would otherwise write it down with every webhook.
 */
const SECRET_PARAMS = /\b(access_key|code|client_secret|password|pwd|token|refresh_token)=([^&\s"']+)/gi;
function redactLine(line) {
    return line.replace(SECRET_PARAMS, '$1=[redacted]');
}
//# sourceMappingURL=redact.js.map