/** What `npm start` prints once the stack is up: everything a person needs to click through. */
import type { StackInfo } from './stack-file';

export function printBanner( info: StackInfo ): void {
	if ( info.accessKey === '' ) {
		console.log( `
WordPress ${ info.wpVersion } is running without Pulse Sync (PULSE_STACK_PLUGIN=none)

  wp-admin       ${ info.adminUrl }plugin-install.php?tab=upload
  Login          ${ info.adminUser } / ${ info.adminPassword }

  Upload the zip that npm run release writes (release/pulse-sync-<version>.zip) under
  Plugins » Add New » Upload Plugin. Stop with npm run stack:down.
` );
		return;
	}
	const hook = ( action: string ) =>
		`${ info.siteUrl }/?wpf_action=${ action }&access_key=${ info.accessKey }`;
	// PULSE_STACK_SITES: the other sites, each paired with the same bridge(s).
	const others = info.sites
		.slice( 1 )
		.map(
			( site ) =>
				`\n  Also           ${ site.adminUrl }admin.php?page=pulse-sync (bridge route ${ site.bridgeUrl })`
		)
		.join( '' );
	console.log( `
Pulse Sync is running (WordPress ${ info.wpVersion })

  Site           ${ info.siteUrl }/
  wp-admin       ${ info.adminUrl }admin.php?page=pulse-sync
  Login          ${ info.adminUser } / ${ info.adminPassword }
  CRM sandbox    ${ info.crmSandboxUrl }/crm/   (apply "Website Access" to a contact to create a user)
  Bridge         ${ info.bridgeUrl }
  Captured mail  ${ info.mailDir }${ others }

  Webhook URLs for the CRM:
    ${ hook( 'add' ) }&send_notification=true
    ${ hook( 'update' ) }
    ${ hook( 'update_tags' ) }

  Try it:
    curl -s '${ hook( 'add' ) }&contact_id=1'

  Stop with Ctrl-C (npm start) or npm run stack:down (npm run stack:up).
` );
}
