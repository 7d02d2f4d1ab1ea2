<?php
/**
 * The "Pulse Sync" admin page that hosts the React panel.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Admin;

use PulseSync\Rest\Controller;
use PulseSync\Settings;
use PulseSync\Users\RoleGuard;

defined( 'ABSPATH' ) || exit;

/**
 * Registers the menu, prints the panel's root element and loads `build/index.js`.
 *
 * @since 0.1.0
 */
class Page {

	public const SLUG = 'pulse-sync';

	private const HOOK_SUFFIX   = 'toplevel_page_pulse-sync';
	private const SCRIPT_HANDLE = 'pulse-sync-admin';

	/**
	 * Registers the hooks.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function register_hooks(): void {
		add_action( 'admin_menu', array( self::class, 'add_menu' ) );
		add_action( 'admin_enqueue_scripts', array( self::class, 'enqueue' ) );
		add_action( 'admin_notices', array( self::class, 'notices' ) );
	}

	/**
	 * Adds the top-level menu.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function add_menu(): void {
		add_menu_page(
			__( 'Pulse Sync', 'pulse-sync' ),
			__( 'Pulse Sync', 'pulse-sync' ),
			'manage_options',
			self::SLUG,
			array( self::class, 'render' ),
			'dashicons-update'
		);
	}

	/**
	 * Prints the panel's root element.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function render(): void {
		echo '<div class="wrap"><div id="pulse-sync-admin"></div></div>';
	}

	/**
	 * Loads the panel on its own page only.
	 *
	 * @since 0.1.0
	 *
	 * @param string $hook_suffix Current admin page.
	 * @return void
	 */
	public static function enqueue( string $hook_suffix ): void {
		if ( self::HOOK_SUFFIX !== $hook_suffix || ! self::build_exists() ) {
			return;
		}
		$asset = require PULSE_SYNC_DIR . 'build/index.asset.php';
		wp_enqueue_script(
			self::SCRIPT_HANDLE,
			plugins_url( 'build/index.js', PULSE_SYNC_FILE ),
			(array) ( $asset['dependencies'] ?? array() ),
			(string) ( $asset['version'] ?? PULSE_SYNC_VERSION ),
			true
		);
		wp_enqueue_style( 'wp-components' );
		if ( is_readable( PULSE_SYNC_DIR . 'build/index.css' ) ) {
			wp_enqueue_style( self::SCRIPT_HANDLE, plugins_url( 'build/index.css', PULSE_SYNC_FILE ), array( 'wp-components' ), (string) ( $asset['version'] ?? PULSE_SYNC_VERSION ) );
		}
		wp_set_script_translations( self::SCRIPT_HANDLE, 'pulse-sync', PULSE_SYNC_DIR . 'languages' );
		wp_add_inline_script( self::SCRIPT_HANDLE, 'window.pulseSyncAdmin = ' . wp_json_encode( self::config() ) . ';', 'before' );
	}

	/**
	 * The values the panel reads from `window.pulseSyncAdmin`.
	 *
	 * @since 0.1.0
	 *
	 * @return array<string,mixed>
	 */
	public static function config(): array {
		$settings  = Settings::all();
		$grantable = RoleGuard::grantable_roles();
		$roles     = array();
		foreach ( RoleGuard::allowed_roles( $settings['allowed_roles'], $settings['default_role'] ) as $slug ) {
			$roles[] = array(
				'slug' => $slug,
				'name' => $grantable[ $slug ] ?? $slug,
			);
		}
		$site_url = untrailingslashit( home_url() );
		return array(
			'restNamespace' => Controller::REST_NAMESPACE,
			'siteUrl'       => $site_url,
			'webhookBase'   => home_url( '/' ),
			'adminUrl'      => admin_url(),
			'version'       => PULSE_SYNC_VERSION,
			'rolesAllowed'  => $roles,
			'crmAccountUrl' => $settings['crm_account_url'],
			// No part of the bridge secret: a bridge gets it by pairing (Pulse Sync » Status).
			'bridge'        => array( 'siteUrl' => $site_url ),
		);
	}

	/**
	 * Notices on the panel page: a missing build, and the OAuth outcome.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function notices(): void {
		$screen = get_current_screen();
		if ( null === $screen || self::HOOK_SUFFIX !== $screen->id ) {
			return;
		}
		if ( ! self::build_exists() ) {
			printf(
				'<div class="notice notice-error"><p>%s</p></div>',
				esc_html__( 'The Pulse Sync panel is not built: run `npm run build` in the project (it writes plugin/build/).', 'pulse-sync' )
			);
		}
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- only selects a fixed message.
		$notice = is_string( $_GET[ OAuthCallback::NOTICE_PARAMETER ] ?? null ) ? sanitize_key( $_GET[ OAuthCallback::NOTICE_PARAMETER ] ) : '';
		$text   = OAuthCallback::notice_text( $notice );
		if ( '' !== $text ) {
			printf(
				'<div class="notice %1$s is-dismissible"><p>%2$s</p></div>',
				'crm_connected' === $notice ? 'notice-success' : 'notice-error',
				esc_html( $text )
			);
		}
	}

	/**
	 * Whether the panel's bundle exists.
	 *
	 * @since 0.1.0
	 *
	 * @return bool
	 */
	private static function build_exists(): bool {
		return is_readable( PULSE_SYNC_DIR . 'build/index.js' ) && is_readable( PULSE_SYNC_DIR . 'build/index.asset.php' );
	}
}
