"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.startMariaDb = startMariaDb;
exports.sql = sql;
/**
 * A private MariaDB server: its own datadir and socket inside the state folder, no TCP port, so
 * it never meets the system's server or another stack.
 */
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = __importDefault(require("node:crypto"));
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const processes_1 = require("./processes");
const wait_1 = require("./wait");
const DB_NAME = 'wordpress';
const DB_USER = 'wordpress';
async function startMariaDb(dir, logDir) {
    const datadir = node_path_1.default.join(dir, 'mysql');
    const socket = node_path_1.default.join(dir, 'mysqld.sock');
    if (!node_fs_1.default.existsSync(node_path_1.default.join(datadir, 'mysql'))) {
        node_fs_1.default.mkdirSync(datadir, { recursive: true });
        const init = (0, node_child_process_1.spawnSync)('mariadb-install-db', [
            '--no-defaults',
            `--datadir=${datadir}`,
            '--user=root',
            '--skip-test-db',
            '--auth-root-authentication-method=socket',
        ], { encoding: 'utf8' });
        if (init.status !== 0) {
            throw new Error(`mariadb-install-db failed:\n${init.stderr}`);
        }
    }
    node_fs_1.default.rmSync(socket, { force: true });
    const pid = (0, processes_1.startDetached)({
        name: 'mariadb',
        command: 'mariadbd',
        args: [
            '--no-defaults',
            `--datadir=${datadir}`,
            `--socket=${socket}`,
            `--pid-file=${node_path_1.default.join(dir, 'mysqld.pid')}`,
            '--skip-networking',
            '--user=root',
            '--innodb-buffer-pool-size=256M',
            '--innodb-flush-log-at-trx-commit=2',
            '--max-connections=300',
            `--log-error=${node_path_1.default.join(logDir, 'mariadb.log')}`,
        ],
        logFile: node_path_1.default.join(logDir, 'mariadb.log'),
    });
    await (0, wait_1.waitUntil)('MariaDB socket', () => sql(socket, 'SELECT 1').ok, 60000);
    const password = databasePassword(dir);
    const setup = sql(socket, `CREATE DATABASE IF NOT EXISTS \`${DB_NAME}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
		 CREATE USER IF NOT EXISTS '${DB_USER}'@'localhost' IDENTIFIED BY '${password}';
		 GRANT ALL ON \`${DB_NAME}\`.* TO '${DB_USER}'@'localhost';`);
    if (!setup.ok) {
        throw new Error(`could not create the WordPress database: ${setup.error}`);
    }
    return { pid, socket, name: DB_NAME, user: DB_USER, password };
}
/**
 * The database password is made once per state folder and kept beside the datadir.
 */
function databasePassword(dir) {
    const file = node_path_1.default.join(dir, 'db-password');
    if (!node_fs_1.default.existsSync(file)) {
        node_fs_1.default.writeFileSync(file, node_crypto_1.default.randomBytes(18).toString('hex'), {
            mode: 0o600,
        });
    }
    return node_fs_1.default.readFileSync(file, 'utf8').trim();
}
function sql(socket, statement) {
    const run = (0, node_child_process_1.spawnSync)('mariadb', [
        '--no-defaults',
        `--socket=${socket}`,
        '-uroot',
        '-N',
        '-B',
        '-e',
        statement,
    ], {
        encoding: 'utf8',
    });
    return {
        ok: run.status === 0,
        output: run.stdout ?? '',
        error: run.stderr ?? '',
    };
}
//# sourceMappingURL=mariadb.js.map