<?php
/**
 * The lean webhook endpoint: answers `?wpf_action=` webhooks with WordPress loaded as
 * `SHORTINIT` (the database, options and hooks; no other plugin, no theme, no `init`) plus only
 * what the listener needs (translations, the HTTP API, cron, pluggable hashing).
 *
 * Reached only through a web-server rule (deploy/nginx/wordpress-pulse-sync.conf,
 * deploy/apache/wordpress-pulse-sync.conf) that sends the site's webhooks here. Without the rule
 * the plugin's listener answers the same webhooks inside WordPress (PulseSync\Webhook\Listener,
 * hooked by PulseSync\Plugin), the same way: this file runs that very listener. What differs:
 * filters added by other plugins or the theme (e.g. `pulse_sync_spool_webhook_batch`) do not run
 * here; add them in a must-use plugin and skip the rule if you need them.
 *
 * @package PulseSync
 * @since   0.2.0
 */

// phpcs:disable WordPress.Security.ValidatedSanitizedInput -- server paths, only tested for readable files below.

/**
 * Answers a failure to start in the listener's JSON error shape (docs/architecture.md,
 * "Webhook answers"), with PHP alone: WordPress may not be loaded.
 *
 * @since 0.2.0
 *
 * @param string $code Error code.
 * @return never
 */
function pulse_sync_lean_unavailable( string $code ) {
	http_response_code( 503 );
	header( 'Content-Type: application/json; charset=utf-8' );
	header( 'Cache-Control: no-store' );
	header( 'Retry-After: 60' );
	// phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped, WordPress.WP.AlternativeFunctions.json_encode_json_encode -- JSON of a fixed code, before WordPress.
	echo json_encode(
		array(
			'success' => false,
			'error'   => $code,
			'message' => 'The site cannot answer webhooks right now.',
		)
	);
	exit;
}

/*
 * WordPress is found where the web server says the site lives (DOCUMENT_ROOT), else four levels
 * up from this file as the server named it (wp-content/plugins/pulse-sync/webhook.php): __DIR__
 * would follow a linked plugin folder out of the site.
 */
$pulse_sync_script = (string) ( $_SERVER['SCRIPT_FILENAME'] ?? __FILE__ );
$pulse_sync_load   = null;
foreach ( array( (string) ( $_SERVER['DOCUMENT_ROOT'] ?? '' ), dirname( $pulse_sync_script, 4 ) ) as $pulse_sync_root ) {
	if ( '' !== $pulse_sync_root && is_readable( $pulse_sync_root . '/wp-load.php' ) ) {
		$pulse_sync_load = $pulse_sync_root . '/wp-load.php';
		break;
	}
}
if ( null === $pulse_sync_load ) {
	pulse_sync_lean_unavailable( 'pulse_sync_lean_endpoint_misplaced' );
}

define( 'SHORTINIT', true );
define( 'PULSE_SYNC_LEAN_WEBHOOK', true );
require $pulse_sync_load;

/*
 * What the listener calls beyond SHORTINIT, as wp-settings.php would load it. The files of
 * l10n/ exist from WordPress 6.5 on.
 */
foreach (
	array(
		'l10n.php',
		'l10n/class-wp-translation-controller.php',
		'l10n/class-wp-translations.php',
		'l10n/class-wp-translation-file.php',
		'l10n/class-wp-translation-file-mo.php',
		'l10n/class-wp-translation-file-php.php',
		'class-wp-textdomain-registry.php',
		'class-wp-locale.php',
		'class-wp-locale-switcher.php',
		'general-template.php',
		'link-template.php',
		'kses.php',
		'cron.php',
		'http.php',
		'class-wp-http.php',
		'class-wp-http-streams.php',
		'class-wp-http-curl.php',
		'class-wp-http-proxy.php',
		'class-wp-http-cookie.php',
		'class-wp-http-encoding.php',
		'class-wp-http-response.php',
		'class-wp-http-requests-response.php',
		'class-wp-http-requests-hooks.php',
		'pluggable.php',
	) as $pulse_sync_file
) {
	if ( is_readable( ABSPATH . WPINC . '/' . $pulse_sync_file ) ) {
		require_once ABSPATH . WPINC . '/' . $pulse_sync_file;
	}
}
$GLOBALS['wp_textdomain_registry'] = new WP_Textdomain_Registry();
if ( method_exists( $GLOBALS['wp_textdomain_registry'], 'init' ) ) {
	$GLOBALS['wp_textdomain_registry']->init();
}
wp_plugin_directory_constants();

// Only for an active plugin: a deactivated plugin's rule must not keep answering for it.
$pulse_sync_basename = basename( dirname( $pulse_sync_script ) ) . '/pulse-sync.php';
$pulse_sync_active   = in_array( $pulse_sync_basename, (array) get_option( 'active_plugins', array() ), true )
	|| ( is_multisite() && isset( get_site_option( 'active_sitewide_plugins', array() )[ $pulse_sync_basename ] ) );
if ( ! $pulse_sync_active ) {
	pulse_sync_lean_unavailable( 'pulse_sync_inactive' );
}

// As wp-settings.php does for each active plugin, so plugin_basename() sees through a linked folder.
$GLOBALS['wp_plugin_paths'] = array();
wp_register_plugin_realpath( WP_PLUGIN_DIR . '/' . $pulse_sync_basename );
require_once __DIR__ . '/pulse-sync.php';

// The schema is brought up to date by the first full WordPress request (`plugins_loaded`).
if ( ! \PulseSync\Activator::is_current() ) {
	pulse_sync_lean_unavailable( 'pulse_sync_upgrading' );
}

$pulse_sync_mo = WP_LANG_DIR . '/plugins/pulse-sync-' . get_locale() . '.mo';
if ( is_readable( $pulse_sync_mo ) ) {
	load_textdomain( 'pulse-sync', $pulse_sync_mo );
}

\PulseSync\Webhook\Listener::capture_stray_output();
\PulseSync\Webhook\Listener::maybe_handle();
