"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.waitUntil = waitUntil;
exports.answers = answers;
/**
 * Polling helpers for services that take a moment to come up.
 */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function waitUntil(what, check, timeoutMs = 30000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (await check()) {
            return;
        }
        await sleep(150);
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
/**
 * True when the URL answers at all (any HTTP status counts: the server is up).
 */
async function answers(url) {
    try {
        await fetch(url, {
            signal: AbortSignal.timeout(2000),
            redirect: 'manual',
        });
        return true;
    }
    catch {
        return false;
    }
}
//# sourceMappingURL=wait.js.map