"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.writeZip = writeZip;
exports.zipEntries = zipEntries;
/**
 * Writes a zip whose entries all sit under one top folder, the layout wp-admin » Plugins » Upload
 * Plugin expects (the folder becomes wp-content/plugins/<folder>). adm-zip is what
 * `wp-scripts plugin-zip` uses; it needs no zip program on the machine.
 */
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const adm_zip_1 = __importDefault(require("adm-zip"));
/**
 * @param sourceDir  The folder the files are read from.
 * @param files      Paths relative to sourceDir, with `/` separators.
 * @param topFolder  The one folder at the top of the zip.
 * @param targetFile The zip to write (replaced when it exists).
 */
function writeZip(sourceDir, files, topFolder, targetFile) {
    const zip = new adm_zip_1.default();
    for (const file of files) {
        zip.addFile(`${topFolder}/${file}`, node_fs_1.default.readFileSync(node_path_1.default.join(sourceDir, file)));
    }
    node_fs_1.default.mkdirSync(node_path_1.default.dirname(targetFile), { recursive: true });
    node_fs_1.default.rmSync(targetFile, { force: true });
    zip.writeZip(targetFile);
}
/** The entry names of a zip, for checks of what it holds. */
function zipEntries(zipFile) {
    return new adm_zip_1.default(zipFile)
        .getEntries()
        .map((entry) => entry.entryName)
        .sort();
}
//# sourceMappingURL=zip.js.map