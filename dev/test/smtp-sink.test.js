"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The SMTP sink is a real SMTP server: talk SMTP to it over TCP, as PHPMailer does, and read
 * the captured message back the way the tests do.
 */
const node_fs_1 = __importDefault(require("node:fs"));
const node_net_1 = __importDefault(require("node:net"));
const node_os_1 = __importDefault(require("node:os"));
const node_path_1 = __importDefault(require("node:path"));
const mail_1 = require("../src/mail");
const smtp_sink_1 = require("../src/smtp-sink");
function converse(port, lines) {
    return new Promise((resolve, reject) => {
        const socket = node_net_1.default.connect(port, '127.0.0.1');
        let transcript = '';
        const pending = [...lines];
        socket.on('data', (chunk) => {
            transcript += chunk.toString();
            // Each server reply ends with a line "NNN text\r\n"; answer it with our next line.
            if (/^\d{3} .*\r\n$/m.test(chunk.toString())) {
                const next = pending.shift();
                if (next === undefined) {
                    socket.end();
                }
                else {
                    socket.write(next + '\r\n');
                }
            }
        });
        socket.on('end', () => resolve(transcript));
        socket.on('error', reject);
    });
}
test('a message sent over SMTP is captured with its recipient and subject', async () => {
    const folder = node_fs_1.default.mkdtempSync(node_path_1.default.join(node_os_1.default.tmpdir(), 'pulse-mail-'));
    const server = await (0, smtp_sink_1.startSmtpSink)(0, folder);
    const address = server.server.address();
    try {
        const transcript = await converse(address.port, [
            'EHLO test.local',
            'MAIL FROM:<wordpress@example.test>',
            'RCPT TO:<Ada@Example.test>',
            'DATA',
            'Subject: [Pulse Sync Demo] Login Details\r\nFrom: wordpress@example.test\r\n\r\nUsername: ada\r\n.',
            'QUIT',
        ]);
        expect(transcript).toContain('250');
        const mails = (0, mail_1.mailTo)(folder, 'ada@example.test');
        expect(mails).toHaveLength(1);
        expect(mails[0]?.subject).toBe('[Pulse Sync Demo] Login Details');
        expect(mails[0]?.text).toContain('Username: ada');
        expect(node_fs_1.default.existsSync(mails[0]?.file ?? '')).toBe(true);
        expect((0, mail_1.mailTo)(folder, 'someone-else@example.test')).toEqual([]);
    }
    finally {
        await new Promise((resolve) => server.close(() => resolve()));
        node_fs_1.default.rmSync(folder, { recursive: true, force: true });
    }
});
//# sourceMappingURL=smtp-sink.test.js.map