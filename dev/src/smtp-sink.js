"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.startSmtpSink = startSmtpSink;
/**
 * A real SMTP server on 127.0.0.1 that accepts every message and writes it to a folder: the raw
 * message as `<n>.eml` and the parsed essentials as `<n>.json` (see mail.ts). WordPress reaches it
 * through the stack's mu-plugin; nothing leaves the machine.
 *
 * Run: tsx dev/src/smtp-sink.ts <port> <folder>
 */
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const mailparser_1 = require("mailparser");
const smtp_server_1 = require("smtp-server");
function startSmtpSink(port, folder) {
    node_fs_1.default.mkdirSync(folder, { recursive: true });
    let counter = node_fs_1.default
        .readdirSync(folder)
        .filter((name) => name.endsWith('.json')).length;
    const server = new smtp_server_1.SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onData(stream, session, callback) {
            const chunks = [];
            stream.on('data', (chunk) => chunks.push(chunk));
            stream.on('end', async () => {
                try {
                    const raw = Buffer.concat(chunks);
                    const parsed = await (0, mailparser_1.simpleParser)(raw);
                    counter += 1;
                    const base = node_path_1.default.join(folder, `${Date.now()}-${String(counter).padStart(5, '0')}`);
                    const mail = {
                        receivedAt: new Date().toISOString(),
                        envelopeFrom: session.envelope.mailFrom
                            ? session.envelope.mailFrom.address
                            : '',
                        envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
                        subject: parsed.subject ?? '',
                        text: parsed.text ?? '',
                        file: `${base}.eml`,
                    };
                    node_fs_1.default.writeFileSync(`${base}.eml`, raw);
                    node_fs_1.default.writeFileSync(`${base}.json`, JSON.stringify(mail, null, 2));
                    callback();
                }
                catch (error) {
                    callback(error);
                }
            });
        },
    });
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve(server));
    });
}
if (require.main === module) {
    const [port, folder] = process.argv.slice(2);
    if (!port || !folder) {
        console.error('usage: smtp-sink.ts <port> <folder>');
        process.exit(2);
    }
    startSmtpSink(Number(port), folder).then(() => console.log(`[smtp-sink] listening on 127.0.0.1:${port}, writing to ${folder}`), (error) => {
        console.error(`[smtp-sink] ${error.message}`);
        process.exit(1);
    });
    process.on('SIGTERM', () => process.exit(0));
}
//# sourceMappingURL=smtp-sink.js.map