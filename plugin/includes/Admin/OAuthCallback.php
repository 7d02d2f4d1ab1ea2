<?php
/**
 * The CRM's OAuth redirect back into wp-admin.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Admin;

use PulseSync\Bridge\Client;
use PulseSync\HttpError;
use PulseSync\Settings;
use PulseSync\Settings\ClientSecret;

defined( 'ABSPATH' ) || exit;

/**
 * Starts the authorization-code flow and finishes it at
 * `admin.php?page=pulse-sync&pulse_sync_oauth=callback&code=…&state=…`.
 *
 * The state is random per attempt and stored per user, so a forged callback
 * (someone else's code pushed into an admin's browser) is refused. The code is
 * handed to the bridge, which holds the tokens; WordPress never sees them.
 *
 * @since 0.1.0
 */
class OAuthCallback {

	private const STATE_TRANSIENT = 'pulse_sync_oauth_state_';
	private const STATE_TTL       = 15 * MINUTE_IN_SECONDS;
	public const NOTICE_PARAMETER = 'pulse_sync_notice';

	/**
	 * The redirect URI registered with the CRM.
	 *
	 * @since 0.1.0
	 *
	 * @return string
	 */
	public static function redirect_uri(): string {
		return admin_url( 'admin.php?page=' . Page::SLUG . '&pulse_sync_oauth=callback' );
	}

	/**
	 * Starts a connection for the current user: a fresh state, stored per user, and the body of
	 * the bridge's `POST /v1/crm/authorize`, which builds the CRM's authorize URL (the bridge owns
	 * the CRM's URLs: bridge/src/crm/urls.ts).
	 *
	 * @since 0.3.0
	 *
	 * @return array{redirect_uri:string,state:string}
	 * @throws HttpError 400 when the account URL, client id or client secret is missing.
	 */
	public static function start(): array {
		$settings = Settings::all();
		if ( '' === $settings['crm_account_url'] || '' === $settings['crm_client_id'] || ! ClientSecret::is_set() ) {
			throw new HttpError( 400, 'pulse_sync_crm_not_configured', __( 'Enter the CRM account URL, client id and client secret first.', 'pulse-sync' ) );
		}
		$state = bin2hex( random_bytes( 16 ) );
		set_transient( self::STATE_TRANSIENT . get_current_user_id(), $state, self::STATE_TTL );
		return array(
			'redirect_uri' => self::redirect_uri(),
			'state'        => $state,
		);
	}

	/**
	 * `admin_init` callback: finishes the flow and redirects back to the panel with a notice.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function maybe_handle(): void {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- the OAuth state plays the nonce's part.
		if ( Page::SLUG !== ( $_GET['page'] ?? '' ) || 'callback' !== ( $_GET['pulse_sync_oauth'] ?? '' ) ) {
			return;
		}
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to connect the CRM.', 'pulse-sync' ), 403 );
		}
		$code  = is_string( $_GET['code'] ?? null ) ? sanitize_text_field( wp_unslash( $_GET['code'] ) ) : '';
		$state = is_string( $_GET['state'] ?? null ) ? sanitize_text_field( wp_unslash( $_GET['state'] ) ) : '';
		// phpcs:enable
		self::redirect_with_notice( self::finish( $code, $state ) );
	}

	/**
	 * Checks the state and hands the code to the bridge.
	 *
	 * @since 0.1.0
	 *
	 * @param string $code  Authorization code ('' when the owner declined).
	 * @param string $state State from the callback.
	 * @return string Notice id: crm_connected, crm_state_mismatch, crm_denied or crm_error.
	 */
	public static function finish( string $code, string $state ): string {
		$transient = self::STATE_TRANSIENT . get_current_user_id();
		$expected  = get_transient( $transient );
		delete_transient( $transient );
		if ( ! is_string( $expected ) || '' === $state || ! hash_equals( $expected, $state ) ) {
			return 'crm_state_mismatch';
		}
		if ( '' === $code ) {
			return 'crm_denied';
		}
		try {
			$response = Client::from_settings()->post(
				'/v1/crm/oauth/exchange',
				array(
					'code'         => $code,
					'redirect_uri' => self::redirect_uri(),
				)
			);
		} catch ( HttpError $e ) {
			return 'crm_error';
		}
		return $response->is_success() && true === ( $response->body['connected'] ?? null ) ? 'crm_connected' : 'crm_error';
	}

	/**
	 * The text of a notice id, or '' for an unknown id.
	 *
	 * @since 0.1.0
	 *
	 * @param string $notice Notice id.
	 * @return string
	 */
	public static function notice_text( string $notice ): string {
		$texts = array(
			'crm_connected'      => __( 'The CRM is connected.', 'pulse-sync' ),
			'crm_state_mismatch' => __( 'The CRM connection was not completed: the request expired or did not start here. Please click Connect again.', 'pulse-sync' ),
			'crm_denied'         => __( 'The CRM connection was cancelled.', 'pulse-sync' ),
			'crm_error'          => __( 'The CRM connection failed; see the Status screen for the bridge’s last error.', 'pulse-sync' ),
		);
		return $texts[ $notice ] ?? '';
	}

	/**
	 * Redirects back to the panel.
	 *
	 * @since 0.1.0
	 *
	 * @param string $notice Notice id.
	 * @return void
	 */
	private static function redirect_with_notice( string $notice ): void {
		wp_safe_redirect( admin_url( 'admin.php?page=' . Page::SLUG . '&' . self::NOTICE_PARAMETER . '=' . rawurlencode( $notice ) ) );
		exit;
	}
}
