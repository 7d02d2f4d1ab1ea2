"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/** Ports fall back to a free one when the preferred port is taken; a configured one never does. */
const node_net_1 = __importDefault(require("node:net"));
const ports_1 = require("../src/ports");
function occupy() {
    return new Promise((resolve) => {
        const server = node_net_1.default.createServer();
        server.listen(0, '127.0.0.1', () => resolve(server));
    });
}
test('a busy preferred port falls back to a free one', async () => {
    const busy = await occupy();
    const taken = busy.address().port;
    try {
        const chosen = await (0, ports_1.pickPort)('PULSE_TEST_UNSET_PORT', taken);
        expect(chosen).not.toBe(taken);
        expect(chosen).toBeGreaterThan(0);
    }
    finally {
        busy.close();
    }
});
test('a configured port that is busy is an error, not a silent change', async () => {
    const busy = await occupy();
    const taken = busy.address().port;
    process.env.PULSE_TEST_BUSY_PORT = String(taken);
    try {
        await expect((0, ports_1.pickPort)('PULSE_TEST_BUSY_PORT', 1)).rejects.toThrow('already in use');
    }
    finally {
        delete process.env.PULSE_TEST_BUSY_PORT;
        busy.close();
    }
});
test('a configured port that is not a number is rejected', async () => {
    process.env.PULSE_TEST_BAD_PORT = 'eighty';
    try {
        await expect((0, ports_1.pickPort)('PULSE_TEST_BAD_PORT', 1)).rejects.toThrow('must be a port number');
    }
    finally {
        delete process.env.PULSE_TEST_BAD_PORT;
    }
});
//# sourceMappingURL=ports.test.js.map