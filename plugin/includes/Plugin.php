<?php
/**
 * Wires the plugin into WordPress.
 *
 * @package PulseSync
 * @since   0.1.0
 */

namespace PulseSync;

use PulseSync\Admin\OAuthCallback;
use PulseSync\Admin\Page;
use PulseSync\Bridge\SeenMessages;
use PulseSync\Settings\Revision;
use PulseSync\Users\UserLookup;
use PulseSync\Webhook\Listener;
use PulseSync\Webhook\Spool;

defined( 'ABSPATH' ) || exit;

/**
 * Hooks only; behaviour lives in the classes hooked here.
 *
 * @since 0.1.0
 */
class Plugin {

	/**
	 * Registers every hook.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function boot(): void {
		if ( Listener::is_webhook_request() ) {
			Listener::capture_stray_output();
			/*
			 * Answered as the last step before `init`: registering post types, blocks
			 * and the rest of `init` triples the cost of a request, and a CRM storm
			 * sends thousands. Translations may load from `after_setup_theme` on.
			 */
			add_action( 'after_setup_theme', array( Listener::class, 'maybe_handle' ), PHP_INT_MAX );
		}

		add_action( 'plugins_loaded', array( Activator::class, 'maybe_install' ) );
		Revision::register_hooks();

		// Every user meta write through WordPress, not only the plugin's, keeps the lookup table true.
		add_action( 'added_user_meta', array( UserLookup::class, 'on_added' ), 10, 3 );
		add_action( 'updated_user_meta', array( UserLookup::class, 'on_updated' ), 10, 3 );
		add_action( 'deleted_user_meta', array( UserLookup::class, 'on_deleted' ), 10, 4 );

		add_filter( 'cron_schedules', array( Spool::class, 'add_schedule' ) ); // phpcs:ignore WordPress.WP.CronInterval -- see Spool::schedule().
		add_action( Spool::CRON_HOOK, array( Spool::class, 'flush_from_cron' ) );
		// The same one-minute event forgets the webhook-ids whose window has ended.
		add_action( Spool::CRON_HOOK, array( SeenMessages::class, 'purge' ), 10, 0 );

		add_action( 'rest_api_init', array( self::class, 'register_routes' ) );

		Page::register_hooks();
		add_action( 'admin_init', array( OAuthCallback::class, 'maybe_handle' ) );
		add_filter( 'site_status_tests', array( Health::class, 'register_tests' ) );
	}

	/**
	 * Registers the REST routes, one controller per resource.
	 *
	 * @since 0.1.0
	 *
	 * @return void
	 */
	public static function register_routes(): void {
		$controllers = array(
			new Rest\BridgeController(),
			new Rest\SettingsController(),
			new Rest\AccessKeyController(),
			new Rest\RolesController(),
			new Rest\StatusController(),
			new Rest\TestWebhookController(),
			new Rest\CrmController(),
			new Rest\DeliveriesController(),
			new Rest\ImportsController(),
			new Rest\DeliveryLinkController(),
			new Rest\SpoolController(),
			new Rest\PairingController(),
		);
		foreach ( $controllers as $controller ) {
			$controller->register_routes();
		}
	}
}
