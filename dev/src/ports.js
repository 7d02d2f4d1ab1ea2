"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.pickPort = pickPort;
/**
 * Ports: each service has a preferred port (configurable by environment variable) and falls
 * back to a free one chosen by the kernel, so a second stack or a busy default never blocks.
 */
const node_net_1 = __importDefault(require("node:net"));
function tryListen(port) {
    return new Promise((resolve) => {
        const server = node_net_1.default.createServer();
        server.once('error', () => resolve(null));
        server.listen(port, '127.0.0.1', () => {
            const address = server.address();
            const chosen = typeof address === 'object' && address ? address.port : null;
            server.close(() => resolve(chosen));
        });
    });
}
async function pickPort(envName, preferred) {
    const configured = process.env[envName];
    if (configured !== undefined && configured !== '') {
        const port = Number(configured);
        if (!Number.isInteger(port) || port < 1 || port > 65535) {
            throw new Error(`${envName} must be a port number, got "${configured}"`);
        }
        if ((await tryListen(port)) === null) {
            throw new Error(`${envName}=${port} is already in use`);
        }
        return port;
    }
    const free = (await tryListen(preferred)) ?? (await tryListen(0));
    if (free === null) {
        throw new Error('no free TCP port on 127.0.0.1');
    }
    return free;
}
//# sourceMappingURL=ports.js.map