"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.printBanner = printBanner;
function printBanner(info) {
    const hook = (action) => `${info.siteUrl}/?wpf_action=${action}&access_key=${info.accessKey}`;
    console.log(`
Pulse Sync is running (WordPress ${info.wpVersion})

  Site           ${info.siteUrl}/
  wp-admin       ${info.adminUrl}admin.php?page=pulse-sync
  Login          ${info.adminUser} / ${info.adminPassword}
  CRM sandbox    ${info.crmSandboxUrl}/crm/   (apply "Website Access" to a contact to create a user)
  Bridge         ${info.bridgeUrl}
  Captured mail  ${info.mailDir}

  Webhook URLs for the CRM:
    ${hook('add')}&send_notification=true
    ${hook('update')}
    ${hook('update_tags')}

  Try it:
    curl -s '${hook('add')}&contact_id=1'

  Stop with Ctrl-C (npm start) or npm run stack:down (npm run stack:up).
`);
}
//# sourceMappingURL=banner.js.map