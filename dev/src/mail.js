"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.readMail = readMail;
exports.mailTo = mailTo;
/** Reading the mail the SMTP sink captured (tests and `npm start` use this). */
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
function readMail(folder) {
    if (!node_fs_1.default.existsSync(folder)) {
        return [];
    }
    return node_fs_1.default
        .readdirSync(folder)
        .filter((name) => name.endsWith('.json'))
        .sort()
        .map((name) => JSON.parse(node_fs_1.default.readFileSync(node_path_1.default.join(folder, name), 'utf8')));
}
function mailTo(folder, address) {
    const wanted = address.toLowerCase();
    return readMail(folder).filter((mail) => mail.envelopeTo.some((to) => to.toLowerCase() === wanted));
}
//# sourceMappingURL=mail.js.map