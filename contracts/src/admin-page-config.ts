import { z } from 'zod/mini';
import { TextOrNull } from './lenient';

/**
 * The values the plugin prints into the panel's page as `window.pulseSyncAdmin`
 * (plugin/includes/Admin/Page.php `config()`). The PHP side owns that object, so every key is
 * read leniently: a missing or mistyped value is null, and the panel puts a safe default in its
 * place instead of crashing.
 */
const AdminPageFields = z.object( {
	restNamespace: TextOrNull,
	siteUrl: TextOrNull,
	webhookBase: TextOrNull,
	adminUrl: TextOrNull,
	version: TextOrNull,
	crmAccountUrl: TextOrNull,
	/** No part of the bridge secret: a bridge gets it by pairing. */
	bridge: z.catch( z.object( { siteUrl: TextOrNull } ), { siteUrl: null } ),
} );

export const AdminPageConfig = z.catch( AdminPageFields, () =>
	AdminPageFields.parse( {} )
);
export type AdminPageConfig = z.infer< typeof AdminPageConfig >;
