"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.stack = stack;
exports.query = query;
exports.usersWithEmail = usersWithEmail;
exports.usersForContact = usersForContact;
exports.userMeta = userMeta;
exports.configure = configure;
exports.currentSettings = currentSettings;
/**
 * The running stack the end-to-end webhook tests drive: WordPress (read through its database),
 * the CRM sandbox (through its control API) and the webhook endpoint (over HTTP, as the CRM).
 */
const mariadb_1 = require("../../dev/src/mariadb");
const stack_file_1 = require("../../dev/src/stack-file");
const paths_1 = require("../../dev/src/paths");
const wordpress_site_1 = require("../../dev/src/wordpress-site");
function stack() {
    const info = (0, stack_file_1.readStack)(process.env.PULSE_STACK_FILE ?? (0, paths_1.stackFile)());
    if (!info || info.processes.length === 0) {
        throw new Error('No running stack: start one with `npm run stack:up`.');
    }
    return info;
}
/**
 * Query the site's database directly: what is really stored, not what an API says.
 */
function query(statement) {
    const info = stack();
    const result = (0, mariadb_1.sql)(info.dbSocket, `USE \`${info.dbName}\`; ${statement}`);
    if (!result.ok) {
        throw new Error(`SQL failed: ${result.error}`);
    }
    return result.output
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.split('\t'));
}
function quote(value) {
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
function toUser(row) {
    const [id, login, email, contactId, tags, capabilities] = row;
    const roles = capabilities
        ? Object.keys(phpArrayKeys(capabilities))
        : [];
    return {
        id: Number(id),
        login: login ?? '',
        email: email ?? '',
        contactId: contactId && contactId !== 'NULL' ? Number(contactId) : null,
        tags: tags && tags !== 'NULL'
            ? Object.values(phpArrayValues(tags)).map(Number)
            : [],
        role: roles[0] ?? '',
    };
}
/**
 * Keys of a serialized PHP array such as a:1:{s:8:"customer";b:1;}.
 */
function phpArrayKeys(serialized) {
    const keys = {};
    for (const match of serialized.matchAll(/s:\d+:"([^"]*)";b:1;/g)) {
        keys[match[1]] = true;
    }
    return keys;
}
/**
 * Integer values of a serialized PHP list such as a:2:{i:0;i:5;i:1;i:7;}.
 */
function phpArrayValues(serialized) {
    return [...serialized.matchAll(/i:\d+;i:(\d+);/g)].map((match) => Number(match[1]));
}
const USER_COLUMNS = `u.ID, u.user_login, u.user_email,
	(SELECT meta_value FROM wp_usermeta WHERE user_id = u.ID AND meta_key = 'pulsetech_contact_id' LIMIT 1),
	(SELECT meta_value FROM wp_usermeta WHERE user_id = u.ID AND meta_key = 'pulsetech_tags' LIMIT 1),
	(SELECT meta_value FROM wp_usermeta WHERE user_id = u.ID AND meta_key = 'wp_capabilities' LIMIT 1)`;
function usersWithEmail(email) {
    return query(`SELECT ${USER_COLUMNS} FROM wp_users u WHERE u.user_email = ${quote(email)} ORDER BY u.ID`).map(toUser);
}
function usersForContact(contactId) {
    return query(`SELECT ${USER_COLUMNS} FROM wp_users u JOIN wp_usermeta m ON m.user_id = u.ID
		 WHERE m.meta_key = 'pulsetech_contact_id' AND m.meta_value = ${quote(String(contactId))} ORDER BY u.ID`).map(toUser);
}
function userMeta(userId, key) {
    const rows = query(`SELECT meta_value FROM wp_usermeta WHERE user_id = ${Number(userId)} AND meta_key = ${quote(key)} LIMIT 1`);
    return rows[0]?.[0] ?? null;
}
/**
 * Change the plugin's settings as the panel would (the option, so the settings rev moves).
 */
function configure(settings) {
    (0, wordpress_site_1.runPhp)(stack().wpDir, 'configure.php', {}, { settings });
}
function currentSettings() {
    const output = (0, wordpress_site_1.runPhp)(stack().wpDir, 'configure.php', {}, {});
    return JSON.parse(output)
        .settings;
}
//# sourceMappingURL=stack.js.map