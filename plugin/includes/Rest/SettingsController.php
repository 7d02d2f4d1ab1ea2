<?php
/**
 * Panel route: settings.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync\Rest;

use PulseSync\HttpError;
use PulseSync\Settings;
use PulseSync\Settings\ClientSecret;
use PulseSync\Settings\SettingValidator;

defined( 'ABSPATH' ) || exit;

/**
 * `GET|POST /settings`. The client secret is write-only: answers only say whether it is set.
 *
 * @since 0.1.0
 */
class SettingsController extends Controller {

	/**
	 * Registers the routes.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public function register_routes(): void {
		register_rest_route(
			self::REST_NAMESPACE,
			'/settings',
			array(
				array(
					'methods'             => \WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get_settings' ),
					'permission_callback' => array( $this, 'can_manage' ),
				),
				array(
					'methods'             => \WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'update_settings' ),
					'permission_callback' => array( $this, 'can_manage' ),
					'args'                => self::settings_args(),
				),
				'schema' => array( SettingValidator::class, 'schema' ),
			)
		);
	}

	/**
	 * The POST route's args, from the settings' schema: WordPress refuses a wrong type, range or
	 * enum (400 `rest_invalid_param`) before the callback, and Settings::update() checks the rest
	 * (400 `pulse_sync_invalid_setting`). No WordPress sanitizer: it would turn "yes" or 1 into
	 * true and "3000" into 3000, where the settings take JSON's own types only.
	 *
	 * @since 0.3.0
	 *
	 * @return array<string,array<string,mixed>>
	 */
	private static function settings_args(): array {
		return array_map(
			static fn( array $arg ): array => array_merge( $arg, array( 'sanitize_callback' => null ) ),
			rest_get_endpoint_args_for_schema( SettingValidator::schema(), \WP_REST_Server::CREATABLE )
		);
	}

	/**
	 * `GET /settings`.
	 *
	 * @since 0.1.0
	 *
	 * @return \WP_REST_Response
	 */
	public function get_settings(): \WP_REST_Response {
		return new \WP_REST_Response( self::public_settings( Settings::all() ), 200 );
	}

	/**
	 * `POST /settings`: a partial update; `crm_client_secret` sets the secret ('' or absent keeps it).
	 *
	 * @since 0.1.0
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function update_settings( \WP_REST_Request $request ) {
		return self::respond(
			static function () use ( $request ) {
				$changes = $request->get_json_params();
				if ( ! is_array( $changes ) ) {
					throw new HttpError( 400, 'pulse_sync_invalid_body', __( 'Send the settings as a JSON object.', 'pulse-sync' ) );
				}
				$secret = $changes['crm_client_secret'] ?? null;
				// The panel may send back what it read; the read-only flag is not a setting.
				unset( $changes['crm_client_secret'], $changes['crm_client_secret_set'] );
				if ( null !== $secret && ! is_string( $secret ) ) {
					throw new HttpError( 400, 'pulse_sync_invalid_setting', __( 'The client secret must be a string.', 'pulse-sync' ) );
				}
				$settings = Settings::update( $changes );
				if ( is_string( $secret ) && '' !== $secret ) {
					ClientSecret::set( $secret );
				}
				return self::public_settings( $settings );
			}
		);
	}

	/**
	 * Settings as the panel sees them.
	 *
	 * @since 0.1.0
	 *
	 * @param array<string,mixed> $settings Settings.
	 * @return array<string,mixed>
	 */
	private static function public_settings( array $settings ): array {
		$settings['crm_client_secret_set'] = ClientSecret::is_set();
		return $settings;
	}
}
